from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "interviewdesk.messaging"
    label = "messaging"

    def ready(self) -> None:
        from interviewdesk.scheduling.signals import appointment_changed

        from .receivers import on_appointment_changed

        appointment_changed.connect(on_appointment_changed, dispatch_uid="messaging.appointment_changed")
