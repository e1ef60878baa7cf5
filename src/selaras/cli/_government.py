"""The government a command works on, resolved by region code the same way everywhere.

Why: with two region editions loaded one code names two governments; `import`, `select` and
`align` must pick the same one (`selaras.web.plans.selectors.government_by_code`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from selaras.web.plans.models import LocalGovernment

__all__ = ["RegionEdition", "resolve_government"]

#: The `--region-edition` option of commands that take `--government`.
RegionEdition = Annotated[str | None, typer.Option(
    "--region-edition", help="Edisi kode wilayah pemda (bawaan: edisi terbaru yang dimuat)")]


def resolve_government(code: str, edition: str | None = None, *, exit_code: int = 2) -> LocalGovernment:
    """The government of `code`; prints the Bahasa message and exits with `exit_code` when none.
    Call after `_django.setup()`."""
    from selaras.domain.errors import NotFound
    from selaras.web.plans.selectors import government_by_code

    try:
        return government_by_code(code, edition)
    except NotFound as error:
        typer.echo(f"{error.message} Muat dulu datanya, mis. dengan: selaras demo up.", err=True)
        raise typer.Exit(exit_code) from None
