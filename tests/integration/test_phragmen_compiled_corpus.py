"""The compiled sequential Phragmén, forced on every approval instance of the pabulib corpus,
decides exactly as the Python path (which test_pabulib_parity holds to pabutools): same
selection order and reasons (the load in a reason within 1e-12 relative)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from selaras.engines.selection import SelectionResult, select
from selaras.engines.selection import phragmen as phragmen_module
from tests.pabulib_corpus import FILES, name_of, unpack


def _run(inst: object, minimum: int) -> SelectionResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(phragmen_module, "COMPILED_MIN_CANDIDATES", minimum)
        return select(inst, "phragmen")  # type: ignore[arg-type]


@pytest.mark.parametrize("packed", FILES, ids=[name_of(f)[:-3][:60] for f in FILES])
def test_compiled_as_python_on_the_corpus(packed: Path, tmp_path: Path) -> None:
    from selaras.cli.pb import pb_instance
    from selaras.formats.pabulib import read_pb

    election = read_pb(unpack(packed, tmp_path))
    if election.vote_type not in ("approval", "choose-1"):
        pytest.skip("Phragmén takes approval ballots")
    inst, _ = pb_instance(election)
    fast, slow = _run(inst, 0), _run(inst, 10**12)
    assert fast.selected == slow.selected
    for pid in inst.project_ids:
        a, b = fast.outcomes[pid], slow.outcomes[pid]
        assert (a.selected, a.order, a.reason.code) == (b.selected, b.order, b.reason.code), pid
        pa, pb = dict(a.reason.params), dict(b.reason.params)
        la, lb = pa.pop("load", None), pb.pop("load", None)
        assert pa == pb, pid
        if la is None or lb is None:
            assert la is lb, pid
        else:
            assert isinstance(la, float) and isinstance(lb, float)
            assert math.isclose(la, lb, rel_tol=1e-12), pid
