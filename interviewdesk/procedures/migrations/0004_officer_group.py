"""The "Selection officers" group: members may create procedures and manage the service's rooms.

Who may set up a procedure is a Django permission (procedures.add_procedure), given through this
group by an administrator in the user admin; rights inside a procedure stay per membership.
"""

from django.db import migrations

GROUP = "Selection officers"
PERMISSIONS = ["add_procedure", "add_room", "change_room"]


def create_group(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; this group needs them now.
    create_permissions(global_apps.get_app_config("procedures"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="procedures", codename__in=PERMISSIONS))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0003_planning_availability_rooms"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
