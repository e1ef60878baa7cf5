"""`/sehat/`: is the service up and can it reach its database? For load balancers and systemd.

No login and no facts beyond "ok" (no versions, paths or settings): the address is public.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

__all__ = ["health"]


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 `{"status": "ok", "database": "ok"}`, or 503 with `"database": "error"`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
