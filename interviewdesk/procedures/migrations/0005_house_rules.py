from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("procedures", "0004_officer_group")]

    operations = [
        migrations.AddField(
            model_name="procedure", name="house_rules",
            field=models.JSONField(blank=True, default=dict, verbose_name="house rules",
                                   help_text="Per language, one rule per line; a language left empty shows the "
                                             "service's rules."),
        ),
        migrations.AddField(
            model_name="procedure", name="house_rules_version",
            field=models.PositiveIntegerField(default=1, verbose_name="house rules version"),
        ),
    ]
