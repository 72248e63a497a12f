from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_personal_link_at_delivery")]

    operations = [
        migrations.AddField(model_name="readiness", name="rules_version",
                            field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddField(model_name="readiness", name="rules_digest",
                            field=models.CharField(blank=True, max_length=16)),
    ]
