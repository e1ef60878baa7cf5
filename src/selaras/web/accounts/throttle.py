"""The client address login throttling counts by (django-axes: AXES_CLIENT_IP_CALLABLE).

Failures are counted per (username, address). Behind the TLS reverse proxy of docs/deploy.md
every request comes from the proxy (REMOTE_ADDR 127.0.0.1), so with SELARAS_HTTPS on the address
is the one the proxy appended last to X-Forwarded-For (`$proxy_add_x_forwarded_for`): the
proxy's own view of the client, which a client cannot forge (anything the client sent stands
before it). Without SELARAS_HTTPS, X-Forwarded-For is ignored and REMOTE_ADDR counts.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if getattr(settings, "HTTPS", False):
        forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1][:45]
    return remote
