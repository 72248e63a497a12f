from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "interviewdesk.meetings"
    label = "meetings"

    def ready(self) -> None:
        from interviewdesk.procedures.signals import jury_changed
        from interviewdesk.scheduling.signals import appointment_changed

        from .receivers import on_appointment_changed, on_jury_changed

        # Connected before messaging's receiver (INSTALLED_APPS order): the appointment is linked to its
        # meeting before messaging decides whether an update can go out now or waits for the meeting.
        appointment_changed.connect(on_appointment_changed, dispatch_uid="meetings.appointment_changed")
        jury_changed.connect(on_jury_changed, dispatch_uid="meetings.jury_changed")
