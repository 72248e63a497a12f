from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "interviewdesk.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (login audit)
