from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEntry, ClosureDay, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Domain data is read in the admin, never written there: it changes only through the
    services (rules checked, audit entry written). Administrators included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("interviewdesk", {"fields": ("phone", "language")}))


@admin.register(ClosureDay)
class ClosureDayAdmin(ReadOnlyAdmin):
    """Set on the product's closure-days page (setup), audited there."""

    list_display = ("date", "kind", "name")
    list_filter = ("kind",)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only for everyone, administrators included."""

    list_display = ("at", "actor", "actor_label", "action", "object_type", "object_id", "from_state", "to_state")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "action")
