"""Placeholder sub-app; filled in by its area."""

import typer

app = typer.Typer(no_args_is_help=True)
