from django.db import migrations

from interviewdesk.procedures.scales import ensure_default_scale


def create_scale(apps, schema_editor):
    ensure_default_scale(apps.get_model("procedures", "RatingScale"), apps.get_model("procedures", "ScaleLevel"))


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(create_scale, migrations.RunPython.noop)]
