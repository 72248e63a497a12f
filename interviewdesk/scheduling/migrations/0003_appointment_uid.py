"""A random iCalendar UID per appointment; existing appointments keep the UID their calendars hold."""

from django.db import migrations, models

import interviewdesk.scheduling.models


def keep_existing_uids(apps, schema_editor):
    Appointment = apps.get_model("scheduling", "Appointment")
    for pk in Appointment.objects.values_list("pk", flat=True).iterator():
        Appointment.objects.filter(pk=pk).update(uid=f"appointment-{pk}@interviewdesk")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_postgres_no_overlap")]

    operations = [
        migrations.AddField(model_name="appointment", name="uid",
                            field=models.CharField(editable=False, max_length=64, null=True)),
        migrations.RunPython(keep_existing_uids, migrations.RunPython.noop),
        migrations.AlterField(model_name="appointment", name="uid",
                              field=models.CharField(default=interviewdesk.scheduling.models.new_ical_uid,
                                                     editable=False, max_length=64, unique=True)),
    ]
