from django.contrib import admin

from .models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Read-only: appointments change through the scheduling services, which check conflicts and audit."""

    list_display = ("starts_at", "kind", "candidate", "procedure", "jury", "status", "sequence")
    list_filter = ("kind", "status", "procedure")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
