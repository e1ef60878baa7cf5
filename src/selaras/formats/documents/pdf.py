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
