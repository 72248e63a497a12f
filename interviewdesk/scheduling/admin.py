from django.contrib import admin

from interviewdesk.core.admin import ReadOnlyAdmin

from .models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    """Read-only: appointments change through the scheduling services, which check conflicts and audit."""

    list_display = ("starts_at", "kind", "candidate", "procedure", "jury", "status", "sequence")
    list_filter = ("kind", "status", "procedure")
