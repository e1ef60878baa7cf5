from __future__ import annotations

import json

import pytest

from selaras.domain.selection import Reason, ReasonCode, format_rupiah, reason_text

PARAMS = {
    "round": 3,
    "payment": 1_250_000.4,
    "supporters": 12,
    "capped": 2,
    "group": "kecamatan:01",
    "floor": 5_000_000,
    "remaining": 1_000,
    "cost": 2_000,
    "available": 1_500,
    "measure": "approvals",
    "value": 7,
    "last_selected_value": 9,
    "rule": "lokasi_tidak_valid",
    "load": 10.5,
    "blocking": "P7",
}


@pytest.mark.parametrize("code", list(ReasonCode))
def test_every_code_has_an_indonesian_text(code: ReasonCode) -> None:
    reason = Reason(code, PARAMS)
    text = reason_text(reason)
    assert text.endswith(".")
    assert ("Dipilih" in text) == reason.selected
    json.dumps(reason.as_dict())


def test_texts_carry_the_parameters() -> None:
    text = reason_text(Reason(ReasonCode.SELECTED_EQUAL_SHARES, PARAMS))
    assert "putaran ke-3" in text and "12 pendukung" in text and "Rp 1.250.000" in text
    text = reason_text(Reason(ReasonCode.REJECTED_CEILING, PARAMS))
    assert "kecamatan:01" in text and "Rp 1.000" in text


def test_rupiah_format() -> None:
    assert format_rupiah(1234567) == "Rp 1.234.567"
    assert format_rupiah(-5) == "-Rp 5"
    assert format_rupiah(None) == "-"


def test_reason_is_a_plain_value() -> None:
    a = Reason(ReasonCode.REJECTED_BUDGET, {"remaining": 1, "cost": 2})
    assert a == Reason(ReasonCode.REJECTED_BUDGET, {"remaining": 1, "cost": 2})
    assert not a.selected and Reason(ReasonCode.SELECTED_OPTIMAL).params == {}
