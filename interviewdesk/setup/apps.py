from django.apps import AppConfig


class SetupConfig(AppConfig):
    """The officer's set-up pages: procedures, people, juries, rooms and availability."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "interviewdesk.setup"
    label = "setup"
