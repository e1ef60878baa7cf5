"""How wide a text prints in the tables' font, Liberation Sans Narrow (metric-compatible with
Arial Narrow): the advance widths of its printable ASCII characters, regular and bold, in font units
(2048 an em), read from the Debian fonts-liberation files. Any other character counts as generously
wide (`OTHER_EM`). Used to size the PDF's columns so that no word has to break inside its cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["OTHER_EM", "longest_word_em", "text_em"]

OTHER_EM = 0.65
_UNITS = 2048
_FIRST = 32  # the space; the tables run to "~" (126)
_REGULAR = (
    467, 467, 596, 934, 934, 1493, 1120, 322, 559, 559, 653, 981, 467, 559, 467, 467, 934, 934,
    934, 934, 934, 934, 934, 934, 934, 934, 467, 467, 981, 981, 981, 934, 1704, 1120, 1120,
    1212, 1212, 1120, 1026, 1307, 1212, 467, 840, 1120, 934, 1399, 1212, 1307, 1120, 1307, 1212,
    1120, 1026, 1212, 1120, 1585, 1120, 1120, 1026, 467, 467, 467, 788, 934, 559, 934, 934, 840,
    934, 934, 467, 934, 934, 373, 373, 840, 373, 1399, 934, 934, 934, 934, 559, 840, 467, 934,
    840, 1212, 840, 840, 840, 561, 436, 561, 981,
)
_BOLD = (
    467, 559, 797, 934, 934, 1493, 1212, 399, 559, 559, 653, 981, 467, 559, 467, 467, 934, 934,
    934, 934, 934, 934, 934, 934, 934, 934, 559, 559, 981, 981, 981, 1026, 1638, 1212, 1212,
    1212, 1212, 1120, 1026, 1307, 1212, 467, 934, 1212, 1026, 1399, 1212, 1307, 1120, 1307,
    1212, 1120, 1026, 1212, 1120, 1585, 1120, 1120, 1026, 559, 467, 559, 981, 934, 559, 934,
    1026, 934, 1026, 934, 559, 1026, 1026, 467, 467, 934, 467, 1493, 1026, 1026, 1026, 1026,
    653, 934, 559, 1026, 934, 1307, 934, 934, 840, 653, 471, 653, 981,
)
#: where a line may break inside a run of non-spaces: after a slash or a dash before a letter, and
#: after the zero-width space the documents put after a code's dots
_BREAK = re.compile(r"(?<=[/\-–\u200b])(?=[^\d\s])|(?<=\u200b)")


def text_em(text: str, *, bold: bool = False) -> float:
    """The printed width of `text` in ems."""
    table = _BOLD if bold else _REGULAR
    total = 0
    other = 0.0
    for ch in text:
        code = ord(ch) - _FIRST
        if 0 <= code < len(table):
            total += table[code]
        elif ch != "\u200b":
            other += OTHER_EM
    return total / _UNITS + other


def longest_word_em(texts: Iterable[str], *, bold: bool = False) -> float:
    """The width (ems) of the widest piece of `texts` that cannot break across lines."""
    words = {piece for text in texts for word in text.split() for piece in _BREAK.split(word)}
    return max((text_em(word, bold=bold) for word in words), default=0.0)
