"""Response headers Django 5.2 does not set itself: the Content-Security-Policy.

Why our own middleware: Django gains CSP only in 6.0; the policy is one string from settings
(`CONTENT_SECURITY_POLICY`), the same on every page, the admin and /api/docs, because no page
needs an inline script or style (htmx is configured not to inject its indicator style).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

__all__ = ["ContentSecurityPolicyMiddleware"]


class ContentSecurityPolicyMiddleware:
    """Adds `Content-Security-Policy` to every answer that has none yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
