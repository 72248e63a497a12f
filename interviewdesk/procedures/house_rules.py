"""The service's house rules as the candidate reads and accepts them (issue 11).

Each procedure may set its own text per language (`Procedure.house_rules`, one rule per line);
a language left empty reads the service's rules below, in the candidate's language. Every change
raises `Procedure.house_rules_version`, and a candidate's acceptance records the version and a
digest of exactly the lines shown, so it is always known which text was accepted.
"""

from __future__ import annotations

import hashlib

from django.utils import translation
from django.utils.translation import gettext as _

LANGUAGES = ("nl", "fr", "de")
MAX_LENGTH = 4000


def service_rules() -> list[str]:
    """The service's own rules, in the active language."""
    return [
        _("Keep your camera and microphone on from the welcome until the end of the session."),
        _("Be alone in the room: nobody else may be there or come in."),
        _("Do not record the session in any way: no sound, no images, no screenshots."),
        _("Have your identity card ready: we check it before the interview begins."),
        _("Only the material we allow may be on your desk; no notes or other sources unless we say so."),
        _("The service's rules on selections and language tests of 4 August 2020 apply; your contact person "
          "sends them to you on request."),
    ]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def house_rules_for(procedure, language: str) -> list[str]:
    """The rules a candidate of `procedure` reads in `language`: the procedure's own, else the service's."""
    own = split_lines((procedure.house_rules or {}).get(language, ""))
    if own:
        return own
    with translation.override(language):
        return service_rules()


def house_rules_digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
