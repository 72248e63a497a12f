"""The address a request comes from, the same way everywhere (login throttling, audit entries).

Behind a reverse proxy (BEHIND_PROXY=1) REMOTE_ADDR is the proxy's own address: the client's is
the last entry of X-Forwarded-For, the one our proxy appended. Entries before it were sent by the
client and can say anything, so they are never used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the request carries no valid one."""
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            address = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
