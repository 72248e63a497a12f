from django.contrib import admin

from interviewdesk.core.admin import ReadOnlyAdmin as ReadOnly

from .models import FollowUp, Incident, LiveSession

# Live facts change only through the services (locked, checked, audited).


@admin.register(LiveSession)
class LiveSessionAdmin(ReadOnly):
    list_display = ("appointment", "attempt", "state", "state_changed_at", "stopped_at")
    list_filter = ("state",)


@admin.register(Incident)
class IncidentAdmin(ReadOnly):
    list_display = ("at", "session", "category", "decision", "reported_by")
    list_filter = ("category", "decision")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnly):
    list_display = ("created_at", "procedure", "appointment", "kind", "done_at")
    list_filter = ("kind",)
