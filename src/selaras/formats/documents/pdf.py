"""An official document as PDF, through WeasyPrint (HTML + CSS paged media). No network: every
URL the renderer might ask for is refused (the HTML has no external resource anyway)."""

from __future__ import annotations

from typing import Any, NoReturn

from selaras.formats.documents.html import render_html
from selaras.formats.documents.model import Document

__all__ = ["write_pdf", "html_to_pdf"]


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"sumber luar tidak diizinkan dalam dokumen: {url[:80]}")


def html_to_pdf(html: str, target: Any = None) -> bytes | None:
    """Render `html` to `target` (a path or binary file), or return the bytes when no target."""
    from weasyprint import HTML  # imported here: loading pango takes a moment, only PDF needs it

    page = HTML(string=html, url_fetcher=_no_fetch)
    if target is None:
        result: bytes = page.write_pdf()
        return result
    page.write_pdf(target)
    return None


def write_pdf(document: Document, target: Any = None) -> bytes | None:
    return html_to_pdf(render_html(document), target)
