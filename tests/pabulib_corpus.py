"""The pabulib regression corpus shipped with the tests (xz-compressed, tests/data/pabulib)."""

from __future__ import annotations

import lzma
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "pabulib"
FILES = sorted(CORPUS.glob("*.pb.xz"))


def name_of(packed: Path) -> str:
    """`X.pb` for `X.pb.xz`."""
    return packed.name.removesuffix(".xz")


def unpack(packed: Path, folder: Path) -> Path:
    """Write the decompressed instance into `folder` and return its path (`X.pb`)."""
    target = folder / name_of(packed)
    if not target.exists():
        target.write_bytes(lzma.decompress(packed.read_bytes()))
    return target
