"""The compiled sequential Phragmén, forced on every approval instance of the pabulib corpus,
decides exactly as the Python path (which test_pabulib_parity holds to pabutools): same
selection order and reasons (the load in a reason within 1e-12 relative)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pabulib_corpus import FILES, name_of, unpack
from tests.phragmen_paths import assert_same_decisions, run_phragmen


@pytest.mark.parametrize("packed", FILES, ids=[name_of(f)[:-3][:60] for f in FILES])
def test_compiled_as_python_on_the_corpus(packed: Path, tmp_path: Path) -> None:
    from selaras.cli.pb import pb_instance
    from selaras.formats.pabulib import read_pb

    election = read_pb(unpack(packed, tmp_path))
    if election.vote_type not in ("approval", "choose-1"):
        pytest.skip("Phragmén takes approval ballots")
    inst, _ = pb_instance(election)
    assert_same_decisions(inst, run_phragmen(inst, compiled=True), run_phragmen(inst, compiled=False))
