"""The service's house rules as the candidate reads and accepts them (issue 11).

Each procedure may set its own text per language (`Procedure.house_rules`, one rule per line);
a language left empty reads the service's rules, in the candidate's language. The service's rules
are the latest `ServiceHouseRules` version the selection officers wrote (with an optional link to
the full rules), else the text built into the product below. Every change of what a procedure's
candidates read (its own text, or the service's where it follows them) raises
`Procedure.house_rules_version`, and a candidate's acceptance records the version and a digest of
exactly what was shown, so it is always known which text was accepted.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.utils import translation
from django.utils.translation import gettext as _

from .models import ServiceHouseRules

LANGUAGES = ("nl", "fr", "de")
MAX_LENGTH = 4000
LINK_MAX_LENGTH = 500
# E-mails name the rules and give the link; a bulk send asks for every invitation, so the service's
# links are kept a minute in the process's memory (the candidate's page and acceptance always read
# the database: what a candidate accepts must be exactly what is current).
MAIL_LINKS_KEY = "service-house-rules-links"
MAIL_LINKS_SECONDS = 60


def built_in_rules() -> list[str]:
    """The rules built into the product, in the active language: the service's rules until the
    selection officers write their own."""
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


def current_service_version() -> ServiceHouseRules | None:
    return ServiceHouseRules.objects.order_by("-version").first()


def service_rules(language: str | None = None, *, current: ServiceHouseRules | None = None) -> list[str]:
    """The service's rules in `language` (default: the active one): the officers' text, else the built-in one.
    `current` saves the query where the caller has the current version already."""
    language = language or (translation.get_language() or "nl").split("-")[0]
    current = current if current is not None else current_service_version()
    written = split_lines((current.texts if current else {}).get(language, ""))
    if written:
        return written
    with translation.override(language):
        return built_in_rules()


def service_link(language: str, *, current: ServiceHouseRules | None = None) -> str:
    current = current if current is not None else current_service_version()
    return (current.links if current else {}).get(language, "")


def follows_service(procedure, language: str) -> bool:
    """Whether candidates of `procedure` read the service's rules in `language` (no own text)."""
    return not split_lines((procedure.house_rules or {}).get(language, ""))


def house_rules_for(procedure, language: str) -> list[str]:
    """The rules a candidate of `procedure` reads in `language`: the procedure's own, else the service's."""
    if follows_service(procedure, language):
        return service_rules(language)
    return split_lines(procedure.house_rules[language])


def house_rules_link(procedure, language: str) -> str:
    """The link to the full rules shown with them: the service's, where the procedure follows its rules."""
    return service_link(language) if follows_service(procedure, language) else ""


def links_for_mail() -> dict[str, str]:
    links = caches["local"].get(MAIL_LINKS_KEY)
    if links is None:
        current = current_service_version()
        links = dict(current.links) if current else {}
        caches["local"].set(MAIL_LINKS_KEY, links, MAIL_LINKS_SECONDS)
    return links


def forget_links_for_mail() -> None:
    caches["local"].delete(MAIL_LINKS_KEY)


def house_rules_for_mail(procedure, language: str) -> dict:
    """What an invitation says about the house rules: whether the procedure's own or the service's
    apply, and the link to the full rules (the service's, where the procedure follows them)."""
    own = not follows_service(procedure, language)
    return {"own": own, "link": "" if own else links_for_mail().get(language, "")}


def house_rules_shown(procedure, language: str) -> list[str]:
    """Exactly what a candidate reads and accepts: the rules, and the link to the full rules if any."""
    link = house_rules_link(procedure, language)
    return [*house_rules_for(procedure, language), *([link] if link else [])]


def house_rules_digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
