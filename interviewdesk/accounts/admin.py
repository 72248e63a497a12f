"""The user admin gains "reset second factor"; devices are not edited in the admin at all
(an administrator adding an app to someone else's account would bypass the enrolment)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from interviewdesk.core.admin import UserAdmin

from .services import second_factor_reset

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class SecondFactorUserAdmin(UserAdmin):
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (the user sets it up again at the next log in)"),
                  permissions=["change"])
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor_reset(actor=request.user, user=user)
        count = len(queryset)
        self.message_user(request, ngettext(
            "The second factor of %(count)d user was reset; their open sessions have ended.",
            "The second factor of %(count)d users was reset; their open sessions have ended.", count,
        ) % {"count": count}, messages.SUCCESS)
