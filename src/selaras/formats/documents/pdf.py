"""An official document as PDF, through WeasyPrint (HTML + CSS paged media). No network: every
URL the renderer might ask for is refused (the HTML has no external resource anyway).

`write_pdfs` renders many documents (one per agency or kecamatan) in parallel processes: layout
in WeasyPrint is pure Python and takes about 10 ms per table row, so a district's T-C.27 for
every agency (~3,200 rows) needs all the cores there are. The children only turn HTML strings
into files (no database); they are started with "spawn", so nothing of the parent (database
connections, locks) is shared with them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, NoReturn

from selaras.formats.documents.html import render_html
from selaras.formats.documents.model import Document

__all__ = ["write_pdf", "html_to_pdf", "write_pdfs"]


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"sumber luar tidak diizinkan dalam dokumen: {url[:80]}")


#: The browser defaults our documents rely on (html.py writes nothing else). WeasyPrint's own
#: HTML5 stylesheet has hundreds of rules matched against every table cell; these few give the
#: same pages and save about 5 % of the layout time of a large table.
_USER_AGENT_CSS = """
html, body, div, h1, h2, p { display: block }
head, meta, title, style { display: none }
body { margin: 8px }
h1, h2, b, th { font-weight: bold }
h1 { font-size: 2em; margin: .67em 0; bookmark-level: 1; bookmark-label: content(text) }
h2 { font-size: 1.5em; margin: .83em 0; bookmark-level: 2; bookmark-label: content(text) }
p { margin: 1em 0 }
br::before { content: "\\A"; white-space: pre-line }
table { display: table; box-sizing: border-box; border-spacing: 2px; border-collapse: separate;
  text-indent: 0; border-color: gray }
colgroup { display: table-column-group } col { display: table-column }
thead { display: table-header-group; vertical-align: middle }
tbody { display: table-row-group; vertical-align: middle }
tr { display: table-row; vertical-align: inherit }
td, th { display: table-cell; padding: 1px; vertical-align: inherit }
th { text-align: center }
"""
_LEAN: Any = None


def _lean_html() -> Any:
    """WeasyPrint's HTML with the small user-agent stylesheet above (built once per process)."""
    global _LEAN
    if _LEAN is None:
        # imported here: loading pango takes a moment, only PDF needs it
        from weasyprint import CSS, HTML

        sheet = CSS(string=_USER_AGENT_CSS)

        class LeanHTML(HTML):  # type: ignore[misc]
            def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
                return [sheet]

        _LEAN = LeanHTML
    return _LEAN


def html_to_pdf(html: str, target: Any = None) -> bytes | None:
    """Render `html` to `target` (a path or binary file), or return the bytes when no target."""
    page = _lean_html()(string=html, url_fetcher=_no_fetch)
    if target is None:
        result: bytes = page.write_pdf()
        return result
    page.write_pdf(target)
    return None


def write_pdf(document: Document, target: Any = None) -> bytes | None:
    return html_to_pdf(render_html(document), target)


def _render_to(html: str, path: str) -> str:
    html_to_pdf(html, path)
    return path


def write_pdfs(items: Sequence[tuple[Document, Path]], *, processes: int | None = None,
               done: Callable[[int, int], None] | None = None) -> None:
    """Write each (document, path) as PDF, `processes` at a time (default: the CPUs this process
    may use). `done(count, total)` is called after each file (it may raise to stop: the pool is
    shut down and the files not yet written are dropped)."""
    total = len(items)
    if processes is None:
        processes = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = max(1, min(processes, total))
    if workers == 1:
        for index, (document, path) in enumerate(items, start=1):
            write_pdf(document, path)
            if done is not None:
                done(index, total)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_render_to, render_html(document), str(path)) for document, path in items]
        try:
            for count, future in enumerate(as_completed(futures), start=1):
                future.result()
                if done is not None:
                    done(count, total)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
