"""`selaras serve`: run the web application."""

from __future__ import annotations

import typer

from selaras.cli import _django


def serve(
    host: str = typer.Option("127.0.0.1", help="Alamat."),
    port: int = typer.Option(8000, help="Port."),
) -> None:
    _django.migrate()
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
