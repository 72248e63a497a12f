"""A real SMTP server (aiosmtpd) for the messaging tests, and helpers to build appointments."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from interviewdesk.scheduling.services import appointment_plan
from tests.factories import AppointmentFactory, CandidateFactory, ProcedureFactory, jury_with_members, member


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Recorder:
    """Collects what the server accepted; `replies` maps a recipient to a forced reply (e.g. 451, 550)."""

    received: list = field(default_factory=list)
    replies: dict = field(default_factory=dict)
    fail_next: list = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.replies:
            return self.replies[address]
        if self.fail_next:
            return self.fail_next.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), mail))
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        return [str(mail["Message-ID"]) for _rcpt, mail in self.received]


@pytest.fixture
def smtp(settings):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_TIMEOUT = 5
    yield recorder
    from interviewdesk.messaging.transport import close_connections

    close_connections()
    controller.stop()


def planned_interview(language: str = "nl", **kwargs):
    """A planned interview with a full jury and a proctor, through the real scheduling service."""
    procedure = kwargs.pop("procedure", None) or ProcedureFactory(language=language)
    candidate = kwargs.pop("candidate", None) or CandidateFactory(procedure=procedure, language=language)
    jury = jury_with_members(procedure)
    proctor = member(procedure, "proctor")
    appointment = AppointmentFactory.build(procedure=procedure, candidate=candidate, jury=jury, proctor=proctor,
                                           **kwargs)
    return appointment_plan(actor=None, appointment=appointment)
