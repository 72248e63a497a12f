"""A local fake of the Microsoft identity platform's token endpoint and of Microsoft Graph's
onlineMeetings API, over HTTPS (a certificate made for the test), following the documented requests
and responses. It records every request, so tests assert on what the product sent.

Documented behaviour it follows: OpenID discovery and client-credentials token
(`/{tenant}/v2.0/.well-known/openid-configuration`, `/{tenant}/oauth2/v2.0/token`);
`POST /users/{id}/onlineMeetings/createOrGet` (201 with a new meeting, 200 with the one that has this
externalId), `PATCH` and `DELETE /users/{id}/onlineMeetings/{meetingId}` (200, 204; 404 unknown);
errors as `{"error": {"code", "message"}}`: 401 InvalidAuthenticationToken for an expired token, 403
without an application access policy for the user, 429 with Retry-After, 5xx. `script` forces the
next Graph answers (status, headers, body) in order. `answer_delay` holds each createOrGet answer back
after the meeting is made (`answering` counts those on their way), `created` counts the meetings
made (201) per externalId.
"""

from __future__ import annotations

import collections
import datetime as dt
import ipaddress
import json
import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

TENANT = "contoso-tenant"
CLIENT_ID = "app-client-id"
CLIENT_SECRET = "app-client-secret"
ORGANIZER = "selection.desk@contoso.example"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    # Fixed dates, not "now": OpenSSL checks them against the real clock, the tests run at TEST_NOW.
    since, until = dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(since)
            .not_valid_after(until)
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "graph.pem", folder / "graph.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: object
    at: float


@dataclass
class FakeGraph:
    base: str = ""
    requests: list[Recorded] = field(default_factory=list)
    meetings: dict = field(default_factory=dict)  # id -> meeting resource
    by_external: dict = field(default_factory=dict)  # (user, externalId) -> id
    policies: set = field(default_factory=lambda: {ORGANIZER})  # users the app may act for
    tokens: set = field(default_factory=set)  # valid access tokens
    script: list = field(default_factory=list)  # forced answers to the next Graph calls
    lock: threading.Lock = field(default_factory=threading.Lock)
    answer_delay: float = 0.0  # seconds a createOrGet answer waits once the meeting is made
    answering: int = 0  # createOrGet answers waiting to go out
    created: collections.Counter = field(default_factory=collections.Counter)  # externalId -> meetings made

    def graph_calls(self, method: str | None = None) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith("/v1.0/") and (method is None or r.method == method)]

    def token_calls(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/oauth2/v2.0/token")]

    def expire_tokens(self) -> None:
        self.tokens.clear()

    # -- handling -------------------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: dict, raw: bytes) -> tuple[int, dict, object]:
        body: object = None
        if raw:
            if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            else:
                body = json.loads(raw)
        with self.lock:
            self.requests.append(Recorded(method, path, headers, body, time.perf_counter()))
            return self._answer(method, path, headers, body)

    def _answer(self, method, path, headers, body):
        if path == f"/{TENANT}/v2.0/.well-known/openid-configuration":
            return 200, {}, {"token_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/token",
                             "authorization_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/authorize",
                             "issuer": f"{self.base}/{TENANT}/v2.0"}
        if path == f"/{TENANT}/oauth2/v2.0/token":
            if body.get("client_id") != CLIENT_ID or body.get("client_secret") != CLIENT_SECRET \
                    or body.get("grant_type") != "client_credentials":
                return 401, {}, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret."}
            token = uuid.uuid4().hex
            self.tokens.add(token)
            return 200, {}, {"token_type": "Bearer", "expires_in": 3599, "access_token": token}
        if not path.startswith("/v1.0/users/"):
            return 404, {}, {"error": {"code": "NotFound", "message": "unknown path"}}
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return 401, {}, {"error": {"code": "InvalidAuthenticationToken",
                                       "message": "Access token has expired or is not yet valid."}}
        if self.script:
            return self.script.pop(0)
        parts = path.split("/")  # ['', 'v1.0', 'users', user, 'onlineMeetings', ...]
        user = unquote(parts[3])
        if user not in self.policies:
            return 403, {}, {"error": {"code": "Forbidden", "message": "Application access policy not found for this user."}}
        rest = parts[5:]
        if method == "POST" and rest == ["createOrGet"]:
            key = (user, body["externalId"])
            if key in self.by_external:
                return 200, {}, self.meetings[self.by_external[key]]
            meeting_id = "MSo" + uuid.uuid4().hex
            resource = {**body, "id": meeting_id,
                        "joinWebUrl": f"https://teams.microsoft.example/l/meetup-join/19%3ameeting_{meeting_id}%40thread.v2/0"}
            self.meetings[meeting_id] = resource
            self.by_external[key] = meeting_id
            self.created[body["externalId"]] += 1
            return 201, {}, resource
        if len(rest) == 1 and rest[0] in self.meetings:
            if method == "PATCH":
                self.meetings[rest[0]].update(body)
                return 200, {}, self.meetings[rest[0]]
            if method == "DELETE":
                resource = self.meetings.pop(rest[0])
                self.by_external.pop((user, resource["externalId"]), None)
                return 204, {}, None
        return 404, {}, {"error": {"code": "NotFound", "message": "The meeting was not found."}}


def serve(graph: FakeGraph, cert: Path, key: Path) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _any(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            status, headers, body = graph.handle(self.command, url.path, {k.lower(): v for k, v in self.headers.items()},
                                                 raw)
            slow = graph.answer_delay and url.path.endswith("/createOrGet")
            if slow:
                with graph.lock:
                    graph.answering += 1
            try:
                if slow:
                    time.sleep(graph.answer_delay)  # made at Graph; the caller may die before it hears
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass  # the caller was killed while waiting
            finally:
                if slow:
                    with graph.lock:
                        graph.answering -= 1

        do_GET = do_POST = do_PATCH = do_DELETE = _any

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    graph.base = f"https://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
