"""The static storage `selaras serve` collects with: WhiteNoise's, with a quicker brotli."""

from __future__ import annotations

from pathlib import Path

import brotli
import pytest

from selaras.web.static_storage import BROTLI_QUALITY, StaticStorage, _QuickCompressor


def test_brotli_copies_are_made_at_the_quick_quality_and_read_back(tmp_path: Path) -> None:
    source = tmp_path / "bundle.js"
    data = b"".join(
        b"function f%d(a, b) { return a * %d + b; }\n" % (i, i % 97) for i in range(20_000)
    )
    source.write_bytes(data)
    written = list(_QuickCompressor(quiet=True).compress(str(source)))
    br = Path(next(p for p in written if p.endswith(".br"))).read_bytes()
    assert brotli.decompress(br) == data
    assert br == brotli.compress(data, quality=BROTLI_QUALITY)
    assert br != brotli.compress(
        data
    )  # not the default quality (11), which takes ~100 times longer
    assert len(br) < len(data) // 10


@pytest.mark.parametrize("extensions", [None, ("png",)])
def test_the_storage_compresses_with_the_quick_compressor(
    extensions: tuple[str, ...] | None,
) -> None:
    compressor = StaticStorage.create_compressor(
        StaticStorage.__new__(StaticStorage), extensions=extensions
    )
    assert isinstance(compressor, _QuickCompressor)
