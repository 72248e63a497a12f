from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "interviewdesk.messaging"
    label = "messaging"

    def ready(self) -> None:
        from interviewdesk.meetings.signals import meeting_ready
        from interviewdesk.procedures.signals import candidate_changed, jury_changed
        from interviewdesk.scheduling.signals import appointment_changed

        from .receivers import on_appointment_changed, on_candidate_changed, on_jury_changed, on_meeting_ready

        appointment_changed.connect(on_appointment_changed, dispatch_uid="messaging.appointment_changed")
        candidate_changed.connect(on_candidate_changed, dispatch_uid="messaging.candidate_changed")
        meeting_ready.connect(on_meeting_ready, dispatch_uid="messaging.meeting_ready")
        jury_changed.connect(on_jury_changed, dispatch_uid="messaging.jury_changed")
