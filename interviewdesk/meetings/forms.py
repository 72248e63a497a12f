from typing import cast

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


class MeetingOverrideForm(forms.Form):
    """One appointment's meeting: as the procedure chose, a typed link, or Teams or Jitsi."""

    provider = forms.ChoiceField(label=_("Meeting for this appointment"), widget=forms.RadioSelect)
    join_url = forms.URLField(label=_("Typed link"), required=False, max_length=500, assume_scheme="https",
                              help_text=_("Only with a typed link: the address candidates and staff open."))
    reason = forms.CharField(label=_("Why (kept in the history)"), required=False, max_length=500)

    def __init__(self, *args, conf=None, appointment_join_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.conf, self.appointment_join_url = conf, appointment_join_url
        chosen = conf.get_provider_display() if conf is not None else Provider.MANUAL.label
        cast(forms.ChoiceField, self.fields["provider"]).choices = [
            ("", _("as the procedure chose (%(provider)s)") % {"provider": chosen}),
            (Provider.MANUAL.value, _("a link typed by staff")),
            (Provider.TEAMS.value, Provider.TEAMS.label),
            (Provider.JITSI.value, Provider.JITSI.label),
        ]

    def clean(self):
        data = super().clean()
        provider = data.get("provider")
        if provider == Provider.MANUAL and not (data.get("join_url") or self.appointment_join_url):
            self.add_error("join_url", _("Give the link of the meeting."))
        if provider == Provider.TEAMS and not (settings.MEETINGS_TEAMS_ORGANIZER or (self.conf and self.conf.teams_organizer)):
            self.add_error("provider", _("Give the Teams account that owns the meetings on the Meetings page first."))
        if provider == Provider.JITSI and not (settings.MEETINGS_JITSI_BASE_URL or (self.conf and self.conf.jitsi_base_url)):
            self.add_error("provider", _("Give the address of the Jitsi server on the Meetings page first."))
        return data
