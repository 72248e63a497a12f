"""Meeting providers: one small interface, `create_or_get`, `update`, `delete`, and the links.

A provider call raises `TransientError` (try again later, perhaps after `retry_after` seconds) or
`PermanentError` (a person must fix something: the reason is shown to the officer). Provider code
never logs or stores a secret or a token.
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
import time
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import quote, urlsplit

import httpx
import jwt
import msal
import requests
from django.conf import settings

log = logging.getLogger(__name__)


class TransientError(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentError(Exception):
    pass


@dataclass(frozen=True)
class Spec:
    """What a provider is told about a meeting (never the candidate's name)."""

    external_id: str
    subject: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    organizer: str = ""
    co_organizers: tuple[str, ...] = ()
    provider_id: str = ""
    base_url: str = ""
    app_id: str = ""


@dataclass(frozen=True)
class Made:
    provider_id: str
    join_url: str = ""
    extra: dict = field(default_factory=dict)


class MeetingPlatform(Protocol):
    """What every meeting platform does (docs/meetings.md). `remote`: it calls out over the network,
    so the worker does it; a local one (Jitsi: a room name and signed links) is done at once."""

    remote: bool

    def create_or_get(self, spec: Spec) -> Made: ...

    def update(self, spec: Spec) -> Made: ...

    def delete(self, spec: Spec) -> None: ...


# ----------------------------------------------------------------------------------------- Teams

GRAPH_SCOPE = "https://graph.microsoft.com/.default"


def _graph_url() -> str:
    return getattr(settings, "MEETINGS_GRAPH_URL", "https://graph.microsoft.com/v1.0").rstrip("/")


def _verify():
    """For msal (requests): a CA file, or the system's."""
    return getattr(settings, "MEETINGS_CA_BUNDLE", "") or True


def _httpx_verify():
    bundle = getattr(settings, "MEETINGS_CA_BUNDLE", "")
    return ssl.create_default_context(cafile=bundle) if bundle else True


def meeting_body(spec: Spec, *, create: bool) -> dict:
    """The meeting's settings, sent with every create and update: the lobby holds everyone but the
    organizer and co-organizers (dial-in callers too), only organizers present, nothing recorded or
    transcribed, entries and exits announced; the subject names the procedure, not the candidate."""
    body = {
        "subject": spec.subject,
        "startDateTime": spec.starts_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "endDateTime": spec.ends_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "lobbyBypassSettings": {"scope": "organizer", "isDialInBypassEnabled": False},
        "allowedPresenters": "organizer",
        "recordAutomatically": False,
        "allowRecording": False,
        "allowTranscription": False,
        "isEntryExitAnnounced": True,
        "participants": {"attendees": [
            {"upn": upn, "role": "coOrganizer"} for upn in spec.co_organizers]},
    }
    if create:
        body["externalId"] = spec.external_id
    return body


_apps: dict[tuple, msal.ConfidentialClientApplication] = {}


class _Session(requests.Session):
    """msal's HTTP client with the configured CA file on every request (requests would otherwise let
    REQUESTS_CA_BUNDLE from the environment override the session's own `verify`)."""

    def __init__(self, verify):
        super().__init__()
        self._verify = verify

    def request(self, *args, **kwargs):
        kwargs.setdefault("verify", self._verify)
        return super().request(*args, **kwargs)


def _token_app() -> msal.ConfidentialClientApplication:
    tenant = settings.MEETINGS_TEAMS_TENANT_ID
    client_id = settings.MEETINGS_TEAMS_CLIENT_ID
    secret = settings.MEETINGS_TEAMS_CLIENT_SECRET
    if not (tenant and client_id and secret):
        raise PermanentError("Teams is not configured: MEETINGS_TEAMS_TENANT_ID, _CLIENT_ID and _CLIENT_SECRET are needed")
    host = getattr(settings, "MEETINGS_TEAMS_AUTHORITY_HOST", "https://login.microsoftonline.com").rstrip("/")
    key = (host, tenant, client_id, secret, str(_verify()))
    if key not in _apps:
        _apps[key] = msal.ConfidentialClientApplication(
            client_id, client_credential=secret, authority=f"{host}/{tenant}", http_client=_Session(_verify()),
            # The authority is configured by the administrator (a national cloud, or the tests' own
            # server): no call to Microsoft's instance discovery.
            instance_discovery=False, timeout=_timeout())
    return _apps[key]


def _timeout() -> float:
    return float(getattr(settings, "MEETINGS_HTTP_TIMEOUT", 20))


def _token(*, fresh: bool = False) -> str:
    app = _token_app()
    if fresh:
        app.remove_tokens_for_client()
    try:
        result = app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
    except (ValueError, OSError) as exc:  # discovery or network failure
        raise TransientError(f"token endpoint unreachable: {exc.__class__.__name__}") from exc
    if "access_token" not in result:
        error = result.get("error", "unknown")
        if error in ("invalid_client", "unauthorized_client", "invalid_request", "invalid_scope"):
            raise PermanentError(f"the token was refused ({error}): check the app registration and its secret")
        raise TransientError(f"no token ({error})")
    return result["access_token"]


def _graph_error(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", {})
        return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")[:300]
    except ValueError:
        return response.reason_phrase


class Teams:
    """Microsoft Teams online meetings through Microsoft Graph (application permission
    OnlineMeetings.ReadWrite.All, an application access policy for the organizer)."""

    name = "teams"
    remote = True
    ATTEMPTS = 4  # per call: the first try and up to three after a 429 or a 5xx

    def _call(self, method: str, path: str, body: dict | None = None) -> httpx.Response:
        """One Graph request with bounded retries: a 429 waits its Retry-After (up to
        MEETINGS_MAX_WAIT_SECONDS, else the row is tried again later), a 5xx backs off, an expired
        token is refreshed once."""
        max_wait = float(getattr(settings, "MEETINGS_MAX_WAIT_SECONDS", 10))
        refreshed = False
        token = _token()
        last = ""
        for attempt in range(self.ATTEMPTS):
            try:
                with httpx.Client(verify=_httpx_verify(), timeout=_timeout()) as client:
                    response = client.request(method, f"{_graph_url()}{path}", json=body,
                                              headers={"Authorization": f"Bearer {token}"})
            except httpx.HTTPError as exc:
                raise TransientError(f"Graph unreachable: {exc.__class__.__name__}") from exc
            status = response.status_code
            if status == 401 and not refreshed:
                refreshed = True
                token = _token(fresh=True)
                continue
            if status == 429 or status >= 500:
                retry_after = _retry_after(response)
                last = f"HTTP {status} {_graph_error(response)}"
                wait = retry_after if retry_after is not None else min(2 ** attempt * 0.5, max_wait)
                if attempt + 1 < self.ATTEMPTS and wait <= max_wait:
                    time.sleep(wait)
                    continue
                raise TransientError(last, retry_after=retry_after)
            return response
        raise TransientError(last or "Graph kept refusing")

    def _check(self, response: httpx.Response, action: str) -> dict:
        status = response.status_code
        if status in (200, 201):
            return response.json()
        if status == 204:
            return {}
        reason = _graph_error(response)
        if status == 401:
            raise PermanentError(f"{action}: Graph refused the application's token twice ({reason})")
        if status == 403:
            raise PermanentError(f"{action}: access denied: is there an application access policy for the "
                                 f"organizer? ({reason})")
        if status == 404:
            raise PermanentError(f"{action}: not found: is the organizer account right? ({reason})")
        if status == 409:
            raise TransientError(f"{action}: conflict, tried again later ({reason})")
        raise PermanentError(f"{action}: HTTP {status} ({reason})")

    def _user(self, spec: Spec) -> str:
        if not spec.organizer:
            raise PermanentError("no Teams organizer account set for the procedure")
        return f"/users/{quote(spec.organizer, safe='@')}"

    def create_or_get(self, spec: Spec) -> Made:
        user = self._user(spec)
        data = self._check(self._call("POST", f"{user}/onlineMeetings/createOrGet", meeting_body(spec, create=True)),
                           "create")
        made = Made(provider_id=data["id"], join_url=data.get("joinWebUrl", ""))
        # createOrGet returns an existing meeting as it is: the settings and times go again as a PATCH.
        self.update(Spec(**{**spec.__dict__, "provider_id": made.provider_id}))
        return made

    def update(self, spec: Spec) -> Made:
        user = self._user(spec)
        data = self._check(self._call("PATCH", f"{user}/onlineMeetings/{quote(spec.provider_id, safe='')}",
                                      meeting_body(spec, create=False)), "update")
        return Made(provider_id=spec.provider_id, join_url=data.get("joinWebUrl", ""))

    def delete(self, spec: Spec) -> None:
        if not spec.provider_id:
            return
        user = self._user(spec)
        response = self._call("DELETE", f"{user}/onlineMeetings/{quote(spec.provider_id, safe='')}")
        if response.status_code == 404:
            return  # already gone
        self._check(response, "delete")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------- Jitsi

def jitsi_secret() -> str:
    return getattr(settings, "MEETINGS_JITSI_APP_SECRET", "")


def jitsi_token(*, app_id: str, base_url: str, room: str, moderator: bool, not_before: dt.datetime,
                expires: dt.datetime, name: str) -> str:
    """A Jitsi JWT (prosody token authentication, HS256): the room, moderator rights for staff only,
    valid from `not_before` to `expires`. Deterministic (no iat), so the same link is made every time."""
    secret = jitsi_secret()
    if not secret:
        raise PermanentError("Jitsi is not configured: MEETINGS_JITSI_APP_SECRET is empty")
    claims = {
        "aud": "jitsi",
        "iss": app_id,
        "sub": urlsplit(base_url).hostname or "*",
        "room": room,
        "nbf": int(not_before.timestamp()),
        "exp": int(expires.timestamp()),
        "moderator": moderator,
        "context": {"user": {"name": name, "moderator": moderator,
                             "affiliation": "owner" if moderator else "member"}},
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class Jitsi:
    """Self-hosted Jitsi Meet with token authentication. A room exists once someone joins, so
    "making" one is choosing its name: the row's unguessable external id. No network call."""

    name = "jitsi"
    remote = False

    def create_or_get(self, spec: Spec) -> Made:
        if not spec.base_url:
            raise PermanentError("no Jitsi server set for the procedure")
        jitsi_token(app_id=spec.app_id, base_url=spec.base_url, room=spec.external_id, moderator=False,
                    not_before=spec.starts_at, expires=spec.ends_at, name="-")  # checks the secret is set
        return Made(provider_id=spec.external_id)

    def update(self, spec: Spec) -> Made:
        return self.create_or_get(spec)

    def delete(self, spec: Spec) -> None:
        return None


PROVIDERS: dict[str, MeetingPlatform] = {"teams": Teams(), "jitsi": Jitsi()}
