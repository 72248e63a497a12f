from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Provider, Scope


class MeetingSettingsForm(forms.Form):
    provider = forms.ChoiceField(label=_("Who makes the meetings"), choices=Provider.choices,
                                 help_text=_("Typed links: staff paste a link per appointment. Skype for Business "
                                             "Server no longer gets support or security updates from its vendor: "
                                             "prefer Teams or Jitsi."))
    scope = forms.ChoiceField(label=_("Meetings"), choices=Scope.choices)
    teams_organizer = forms.EmailField(label=_("Teams organizer account"), required=False, max_length=254,
                                       help_text=_("The account that owns the meetings (its user principal name)."))
    jitsi_base_url = forms.URLField(label=_("Jitsi server"), required=False, max_length=200, assume_scheme="https")
    jitsi_app_id = forms.CharField(label=_("Jitsi application id"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        provider = data.get("provider")
        if provider == Provider.TEAMS and not (data.get("teams_organizer") or settings.MEETINGS_TEAMS_ORGANIZER):
            self.add_error("teams_organizer", _("Give the Teams account that owns the meetings."))
        if provider == Provider.JITSI and not (data.get("jitsi_base_url") or settings.MEETINGS_JITSI_BASE_URL):
            self.add_error("jitsi_base_url", _("Give the address of the Jitsi server."))
        return data
