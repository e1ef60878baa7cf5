"""The exception tree: one root, four families, unique stable codes, and a text for every code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import selaras.demo.codes
import selaras.engines.scoring
import selaras.engines.selection
import selaras.formats.pabulib
import selaras.formats.proposal_table  # noqa: F401  (imported for their error classes)
from selaras.demo import UnknownRegionError
from selaras.domain import codes, errors, lifecycle
from selaras.domain.errors import (
    AppendOnly,
    Conflict,
    InvalidCode,
    InvalidInput,
    NotFound,
    NotPermitted,
    SelarasError,
    StageClosed,
    TransitionRefused,
)
from selaras.engines.selection import SelectionError
from selaras.formats.pabulib import PbFormatError
from selaras.formats.proposal_table import TableError
from selaras.web.errors.messages import (
    APPEND_ONLY_TEXTS,
    CODE_REASONS,
    ERROR_TEXTS,
    TRANSITION_TEXTS,
    error_text,
)
from selaras.web.errors.status import status_of


def _tree(root: type[SelarasError] = SelarasError) -> list[type[SelarasError]]:
    found = [root]
    for sub in root.__subclasses__():
        found.extend(_tree(sub))
    return found


def test_every_project_error_is_in_the_tree_and_keeps_what_callers_catch() -> None:
    for cls in (SelectionError, UnknownRegionError, PbFormatError, TableError, InvalidCode, TransitionRefused):
        assert issubclass(cls, InvalidInput) and issubclass(cls, ValueError), cls
    assert issubclass(StageClosed, Conflict) and issubclass(AppendOnly, Conflict)
    assert issubclass(NotFound, LookupError)


def test_codes_are_unique_and_stable() -> None:
    tree = _tree()
    assert len(tree) >= 17
    codes_seen = [cls.code for cls in tree]
    assert len(codes_seen) == len(set(codes_seen)), sorted(codes_seen)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", code) for code in codes_seen)
    assert {cls.code for cls in (SelarasError, InvalidInput, NotPermitted, NotFound, Conflict, StageClosed,
                                 AppendOnly, InvalidCode)} == {
        "error", "invalid_input", "not_permitted", "not_found", "conflict", "stage_closed", "append_only",
        "invalid_code"}


def test_catalogue_covers_every_code_and_reason() -> None:
    assert {cls.code for cls in _tree()} <= set(ERROR_TEXTS)
    raised = set(re.findall(r'_fail\([^,]+, [^,]+, "(\w+)"', Path(codes.__file__).read_text()))
    assert raised and raised <= set(CODE_REASONS)
    refused = set(re.findall(r'_refuse\("(\w+)"', Path(lifecycle.__file__).read_text()))
    assert refused == set(TRANSITION_TEXTS)
    assert set(APPEND_ONLY_TEXTS) == {(r, a) for r in ("decision", "selection") for a in ("change", "delete")}


def test_domain_errors_carry_no_prose() -> None:
    with pytest.raises(InvalidCode) as caught:
        codes.RegionCode.parse("32.16.05.5001")
    assert caught.value.message == ""
    assert caught.value.params == {"code": "32.16.05.5001", "position": 4, "part": "5001", "kind": "wilayah",
                                   "reason": "village_kind"}
    assert error_text(caught.value) == ("Kode wilayah '32.16.05.5001' tidak sah pada bagian ke-4 ('5001'): "
                                        "angka pertama kode desa/kelurahan harus 1 (kelurahan), 2 (desa) "
                                        "atau 3 (desa adat).")
    for path in (Path(codes.__file__), Path(lifecycle.__file__), Path(errors.__file__)):
        assert "tidak sah" not in path.read_text() and "Usulan belum" not in path.read_text()


@pytest.mark.parametrize(("error", "status"), [
    (InvalidInput("x"), 400), (InvalidCode(code="1", reason="empty", kind="wilayah"), 400),
    (SelectionError("biaya negatif"), 400), (NotPermitted("x"), 403), (NotFound("x"), 404),
    (StageClosed("x"), 409), (AppendOnly(record="decision", action="delete"), 409), (Conflict(), 409),
    (SelarasError(), 400),
])
def test_each_family_has_one_status(error: SelarasError, status: int) -> None:
    assert status_of(error) == status


def test_ready_messages_win_and_every_error_has_a_text() -> None:
    assert error_text(NotPermitted("Hanya Bappeda.", action="x")) == "Hanya Bappeda."
    assert error_text(AppendOnly(record="selection", action="change")) == (
        "Hasil seleksi tidak dapat diubah; jalankan seleksi baru.")
    for cls in _tree():
        bare = cls.__new__(cls)
        SelarasError.__init__(bare)  # no message, no params: the general text of the code
        assert error_text(bare), cls
