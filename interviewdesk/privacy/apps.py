from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """What the service tells people about their data and does with it: the privacy notice and the
    accessibility statement, retention per procedure, erasure of one candidate, a candidate's own
    data export. It reads every app's candidate data, so it sits above them all (below demo)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "interviewdesk.privacy"
    label = "privacy"
    verbose_name = "privacy"
