"""Start Django for commands that need the database."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selaras.web.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
