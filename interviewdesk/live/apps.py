from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "interviewdesk.live"
    label = "live"
    verbose_name = "Live sessions"

    def ready(self) -> None:
        from interviewdesk.scheduling.signals import appointment_changed

        from .services.followup import on_appointment_changed

        appointment_changed.connect(on_appointment_changed, dispatch_uid="live.on_appointment_changed")
