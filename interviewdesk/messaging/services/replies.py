"""Reading what comes back to the reply address: calendar answers (iTIP REPLY, COUNTER) and bounces.

Sources: an IMAP mailbox (settings.INVITATION_REPLY_IMAP_HOST …) or, in the demo and the
tests, a folder of .eml files (settings.INVITATION_REPLY_DIR); processed files move to
"done/". A delivery status notification that names one of our Message-IDs marks that message
failed ("bounced") and alerts the contact person.

Which answers count (docs/messaging.md "Which answers count"): a REPLY is matched by UID (our
appointment; UIDs are random, so unguessable) and ATTENDEE (an Invitation), and changes the
answer only when the mail's From is that invited address and, where an Authentication-Results
header is there to read, it says the sender is genuine (dmarc=pass, or spf/dkim pass for the
From's domain). Anything else changes nothing and becomes a ReplyReview, a line in the list
the contact person checks, with the reason. ACCEPTED confirms, TENTATIVE records "maybe",
DECLINED records the decline and alerts; a "maybe" or a decline after an acceptance takes the
appointment back to invited. DELEGATED and COUNTER (another time proposed) change nothing, go
to the list and alert the contact person with what was proposed. An answer to an older
SEQUENCE than the attendee's current copy answers a time that no longer holds and is ignored.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import imaplib
import logging
import re
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from interviewdesk.core.audit import audit_record
from interviewdesk.scheduling.models import Appointment
from interviewdesk.scheduling.services import appointment_set_status

from ..alerts import alert_delivery_failed, alert_reply_review
from ..models import Invitation, Message, ReplyReview, SharedStaffEvent
from .invitations import invitation_record_answer
from .states import message_fail

log = logging.getLogger(__name__)

PARTSTATS = {"ACCEPTED": Invitation.PartStat.ACCEPTED, "TENTATIVE": Invitation.PartStat.TENTATIVE,
             "DECLINED": Invitation.PartStat.DECLINED}
ANSWER_METHODS = ("REPLY", "COUNTER")


def _calendars(mail: EmailMessage) -> list[Calendar]:
    """Every calendar in the mail: the text/calendar alternative, an .ics attachment, or both
    (clients send the same answer twice; applying it twice changes nothing)."""
    found = []
    for part in mail.walk():
        name = (part.get_filename() or "").lower()
        if part.get_content_type() in ("text/calendar", "application/ics") or name.endswith(".ics"):
            payload = part.get_payload(decode=True)
            try:
                found.append(Calendar.from_ical(payload if isinstance(payload, bytes) else b""))
            except ValueError:
                log.info("reply reader: unreadable calendar part skipped")
    return found


def _bounced_message_id(mail: EmailMessage) -> str:
    """The Message-ID of our message that a delivery status notification (RFC 3464) reports."""
    if mail.get_content_type() != "multipart/report":
        return ""
    for part in mail.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            attached = part.get_payload()
            inner = attached[0] if isinstance(attached, list) and attached else None
            if isinstance(inner, email.message.Message) and inner.get("Message-ID"):
                return str(inner["Message-ID"]).strip()
        elif kind in ("text/rfc822-headers", "message/rfc822-headers"):
            payload = part.get_payload(decode=True)
            text = payload.decode(errors="replace") if isinstance(payload, bytes) else ""
            match = re.search(r"^Message-ID:\s*(<[^>]+>)", text, re.IGNORECASE | re.MULTILINE)
            if match:
                return match.group(1)
    return ""


# --- Is the sender genuine? (RFC 8601 Authentication-Results) -------------------------------

_COMMENT = re.compile(r"\([^()]*\)")


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower().rstrip(".") if "@" in address else address.strip().lower()


def _aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment (as DMARC's default): the same domain, or one a subdomain of the other."""
    return bool(domain) and (domain == from_domain or from_domain.endswith("." + domain)
                             or domain.endswith("." + from_domain))


def authentication_verdict(mail: EmailMessage, sender: str) -> tuple[str, str]:
    """("pass" | "fail" | "none", the header read). The header that counts is the one our receiving
    server added: the one with settings.INVITATION_REPLY_AUTHSERV_ID when that is set (none of
    them then means the mail came around our server: "fail"), else the topmost one. "none": no
    header at all (the From check alone decides). "pass": dmarc=pass, or spf=pass for an aligned
    smtp.mailfrom, or dkim=pass for an aligned header.d / header.i."""
    headers = [str(h) for h in mail.get_all("Authentication-Results") or []]
    authserv = getattr(settings, "INVITATION_REPLY_AUTHSERV_ID", "").lower()
    if authserv:
        headers = [h for h in headers if (h.split(";", 1)[0].split() or [""])[0].lower() == authserv]
        if not headers:
            return "fail", ""
    if not headers:
        return "none", ""
    header = " ".join(headers[0].split())
    from_domain = _domain(sender)
    verdict = "fail"
    for result in _COMMENT.sub(" ", header).split(";")[1:]:
        words = result.split()
        if not words or "=" not in words[0]:
            continue
        method, outcome = (w.lower() for w in words[0].split("=", 1))
        props = {k.lower(): v.strip('"') for k, v in (w.split("=", 1) for w in words[1:] if "=" in w)}
        if method == "dmarc" and outcome == "fail":
            return "fail", header
        if outcome == "pass" and _passes_for(method, props, from_domain):
            verdict = "pass"
    return verdict, header


def _passes_for(method: str, props: dict, from_domain: str) -> bool:
    """A passing result vouches for the From address: DMARC does by definition, SPF and DKIM
    only for a domain aligned with the From's."""
    if method == "dmarc":
        return True
    if method == "spf":
        return _aligned(_domain(props.get("smtp.mailfrom", "")), from_domain)
    if method == "dkim":
        return (_aligned(props.get("header.d", "").lower(), from_domain)
                or _aligned(_domain(props.get("header.i", "")), from_domain))
    return False


def _sender(mail: EmailMessage) -> str:
    return email.utils.parseaddr(str(mail.get("From", "")))[1].strip().lower()


def _address(value) -> str:
    return re.sub(r"^mailto:", "", str(value).strip(), flags=re.IGNORECASE).strip().lower()


# --- Applying an answer ------------------------------------------------------------------------

@transaction.atomic
def reply_process(raw: bytes) -> str:
    """Apply one incoming e-mail. Returns what it was: "accepted", "tentative", "declined",
    "review" (in the contact person's list), "bounce", "stale" or "ignored"."""
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    bounced = _bounced_message_id(mail)
    if bounced:
        message = Message.objects.filter(message_id=bounced).select_related("procedure").first()
        if message is None or message.state not in (Message.State.SENT, Message.State.SENDING):
            return "ignored"
        if not message_fail(message, error="bounced", from_state=message.state, actor_label="mail server"):
            return "ignored"
        alert_delivery_failed(message=message)
        return "bounce"
    sender = _sender(mail)
    verdict = authentication_verdict(mail, sender)
    result = "ignored"
    for cal in _calendars(mail):
        method = str(cal.get("method", "")).upper()
        if method not in ANSWER_METHODS:
            continue
        for event in cal.walk("VEVENT"):
            result = _apply(event, method, sender, verdict) or result
    return result


def _attendees(event) -> list:
    attendees = event.get("attendee")
    return attendees if isinstance(attendees, list) else [attendees] if attendees else []


def _apply(event, method: str, sender: str, verdict: tuple[str, str]) -> str | None:
    uid = str(event.get("uid", "")).strip()
    appointment = Appointment.objects.select_related("procedure", "candidate").filter(uid=uid).first()
    if appointment is None:  # a proctor's answer to their one event of a connection-test slot
        appointment = (Appointment.objects.select_related("procedure", "candidate")
                       .filter(pk__in=SharedStaffEvent.objects.filter(uid=uid).values("appointment_id")).first())
    if appointment is None:
        log.info("reply reader: answer for an unknown UID ignored")
        return None
    invitations = {inv.email.lower(): inv for inv in appointment.invitations.filter(cancelled=False)}
    sequence = int(event.get("sequence", 0))
    answered = [(_address(a), a) for a in _attendees(event) if _address(a) in invitations]
    if not answered:
        first = _address(_attendees(event)[0]) if _attendees(event) else ""
        _review(appointment, None, ReplyReview.Reason.NOT_INVITED, sender, first, method, event)
        return "review"
    outcome = None
    for address, attendee in answered:
        invitation = invitations[address]
        invitation.appointment = appointment
        partstat = str(attendee.params.get("PARTSTAT", "")).upper()
        answer = f"{method}:{partstat}" if partstat else method
        if sender != address:
            outcome = _review(appointment, invitation, ReplyReview.Reason.SENDER_MISMATCH, sender, address, answer,
                              event)
            continue
        if verdict[0] == "fail":
            outcome = _review(appointment, invitation, ReplyReview.Reason.NOT_AUTHENTICATED, sender, address, answer,
                              event, authentication=verdict[1][:500])
            continue
        if invitation.last_sequence_sent is None or sequence < invitation.last_sequence_sent:
            outcome = "stale"
            continue
        if method == "COUNTER":
            outcome = _review(appointment, invitation, ReplyReview.Reason.COUNTER, sender, address, answer, event,
                              alert=True)
        elif partstat == "DELEGATED":
            outcome = _review(appointment, invitation, ReplyReview.Reason.DELEGATED, sender, address, answer, event,
                              alert=True, delegated_to=_address(attendee.params.get("DELEGATED-TO", "")))
        elif partstat in PARTSTATS:
            outcome = _record(invitation, PARTSTATS[partstat], sequence)
    return outcome


def _proposal(event, *, with_times: bool, **extra) -> dict:
    """What the answer proposes, for the contact person: another time (COUNTER), a delegate, a comment."""
    proposal = {key: value for key, value in extra.items() if value}
    for name in ("dtstart", "dtend") if with_times else ():
        if event.get(name) is not None:
            value = event.decoded(name)
            if hasattr(value, "hour"):
                value = value if value.tzinfo else value.replace(tzinfo=timezone.get_default_timezone())
                proposal["starts_at" if name == "dtstart" else "ends_at"] = value.astimezone(timezone.get_default_timezone()).isoformat()
    comment = " ".join(str(event.get("comment", "")).split())
    if comment:
        proposal["comment"] = comment[:500]
    return proposal


def _review(appointment: Appointment, invitation: Invitation | None, reason: str, sender: str, attendee: str,
            answer: str, event, *, alert: bool = False, **extra) -> str:
    """A line in the contact person's list (once per distinct answer while it is open)."""
    if reason in (ReplyReview.Reason.COUNTER, ReplyReview.Reason.DELEGATED):
        proposal = _proposal(event, with_times=reason == ReplyReview.Reason.COUNTER, **extra)
    else:
        proposal = {key: value for key, value in extra.items() if value}
    fields = {"procedure_id": appointment.procedure_id, "appointment": appointment, "invitation": invitation,
              "reason": reason, "sender": sender[:254], "attendee": attendee[:254], "answer": answer[:20]}
    if ReplyReview.objects.filter(handled_at__isnull=True, proposal=proposal, **fields).exists():
        return "review"
    review = ReplyReview.objects.create(proposal=proposal, **fields)
    audit_record(actor_label="calendar reply", action="reply.review", obj=review, procedure_id=appointment.procedure_id,
                 to_state=reason)
    if alert:
        alert_reply_review(review=review)
    return "review"


def _record(invitation: Invitation, partstat: str, sequence: int) -> str:
    appointment = invitation.appointment
    if invitation.role == Invitation.Role.CANDIDATE:
        if partstat == Invitation.PartStat.ACCEPTED and appointment.status == Appointment.Status.INVITED:
            # The status receiver records the PARTSTAT, exactly as for the portal's Accept button.
            appointment_set_status(actor=None, actor_label="candidate", appointment=appointment,
                                   to=Appointment.Status.CONFIRMED, reason="calendar reply")
            invitation.refresh_from_db()
        elif partstat != Invitation.PartStat.ACCEPTED and appointment.status == Appointment.Status.CONFIRMED:
            # Not a firm yes any more: out of "confirmed", onto the at-risk list.
            appointment_set_status(actor=None, actor_label="candidate", appointment=appointment,
                                   to=Appointment.Status.INVITED, reason=f"calendar reply: {partstat}")
            appointment.status = Appointment.Status.INVITED
    invitation_record_answer(invitation=invitation, partstat=partstat, actor_label="calendar reply",
                             sequence=sequence)
    return str(partstat)


@transaction.atomic
def reply_review_handle(*, actor, review: ReplyReview) -> ReplyReview:
    """The contact person has dealt with a calendar answer in the list."""
    locked = ReplyReview.objects.select_for_update().get(pk=review.pk)
    if locked.handled_at is None:
        locked.handled_at, locked.handled_by = timezone.now(), actor
        locked.save(update_fields=["handled_at", "handled_by"])
        audit_record(actor=actor, action="reply.review_handled", obj=locked, procedure_id=locked.procedure_id,
                     from_state="open", to_state="handled")
    return locked


def _from_folder(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    done = folder / "done"
    count = 0
    for path in sorted(folder.glob("*.eml")):
        reply_process(path.read_bytes())
        done.mkdir(exist_ok=True)
        path.replace(done / path.name)
        count += 1
    return count


def _from_imap() -> int:
    client_class = imaplib.IMAP4_SSL if settings.INVITATION_REPLY_IMAP_SSL else imaplib.IMAP4
    count = 0
    with client_class(settings.INVITATION_REPLY_IMAP_HOST, settings.INVITATION_REPLY_IMAP_PORT) as client:
        client.login(settings.INVITATION_REPLY_IMAP_USER, settings.INVITATION_REPLY_IMAP_PASSWORD)
        client.select(settings.INVITATION_REPLY_IMAP_FOLDER)
        _typ, data = client.search(None, "UNSEEN")
        for number in data[0].split():
            _typ, parts = client.fetch(number, "(RFC822)")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), b"")
            reply_process(raw)
            client.store(number, "+FLAGS", "\\Seen")  # only after the database committed the answer
            count += 1
    return count


def replies_collect() -> int:
    """Read new replies from the configured source. Returns how many e-mails were processed."""
    if getattr(settings, "INVITATION_REPLY_IMAP_HOST", ""):
        return _from_imap()
    return _from_folder(Path(getattr(settings, "INVITATION_REPLY_DIR", settings.VAR_DIR / "replies")))
