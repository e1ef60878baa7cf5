"""WSGI entry point (gunicorn loads it once per worker, before the worker takes requests)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selaras.web.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every view module now (Django would on the first request, which then takes
    seconds: the selection engines load numpy and numba)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point


_warm_up()
