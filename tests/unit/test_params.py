"""The strict parser of query and path values (selaras.web.params): pure functions, no I/O."""

from __future__ import annotations

import base64
import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selaras.domain.errors import InvalidCode, InvalidInput
from selaras.web.errors.messages import error_text
from selaras.web.errors.status import status_of
from selaras.web.params import (
    ID_MAX,
    IdConverter,
    InvalidParameter,
    TokenConverter,
    YearConverter,
    encode_cursor,
    parse_choice,
    parse_code,
    parse_cursor,
    parse_id,
    parse_int,
    parse_text,
    parse_year,
)


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _reason(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidParameter) as caught:
        call()
    return str(caught.value.params["reason"])


@pytest.mark.parametrize("raw", ["²", "١٢", "１２", "1e30", "1.5", "+1", "-", "--1", "0x10", "1_000", "NaN", "1 2",
                                 "\x00", "2026\x00"])
def test_integers_are_ascii_digits_only(raw: str) -> None:
    assert _reason(lambda: parse_int(raw, name="tahun")) == "not_integer"


def test_integers_in_range() -> None:
    assert parse_int(" 42 ", name="n") == 42
    assert parse_int("-5", name="n") == -5
    assert parse_int(None, name="n", default=7) == 7
    assert parse_int("", name="n", default=7) == 7
    assert parse_int("0009", name="n") == 9
    assert _reason(lambda: parse_int("99999999999999999999", name="n")) == "out_of_range"
    assert _reason(lambda: parse_int("9" * 5000, name="n")) == "out_of_range"
    assert _reason(lambda: parse_int("11", name="n", min=1, max=10)) == "out_of_range"


def test_years_and_ids() -> None:
    assert parse_year("2026") == 2026
    assert _reason(lambda: parse_year("1999")) == "out_of_range"
    assert _reason(lambda: parse_year("2101")) == "out_of_range"
    assert parse_id(str(ID_MAX), name="id") == ID_MAX
    assert _reason(lambda: parse_id(str(ID_MAX + 1), name="id")) == "out_of_range"
    assert _reason(lambda: parse_id("0", name="id")) == "out_of_range"
    assert _reason(lambda: parse_id("-1", name="id")) == "out_of_range"


def test_text_refuses_control_characters_and_length() -> None:
    assert parse_text("  jalan desa ", name="q") == "jalan desa"
    assert parse_text("Jalan ²", name="q") == "Jalan ²"
    assert _reason(lambda: parse_text("a\x00b", name="q")) == "control_character"
    assert _reason(lambda: parse_text("a\x1bb", name="q")) == "control_character"
    assert _reason(lambda: parse_text("x" * 201, name="q")) == "too_long"


def test_codes() -> None:
    assert parse_code("32.15", name="dalam", kind="region") == "32.15"
    with pytest.raises(InvalidCode):
        parse_code("32.1x", name="dalam", kind="region")
    with pytest.raises(InvalidCode):
        parse_code("1.01.1", name="kode", kind="nomenclature")
    assert parse_code("3215-2026-DES-000001", name="nomor") == "3215-2026-DES-000001"
    assert _reason(lambda: parse_code("32 15", name="nomor")) == "control_character"
    assert _reason(lambda: parse_code("3" * 41, name="nomor")) == "too_long"
    assert parse_choice("1", name="aktif", choices={"0", "1"}) == "1"
    assert _reason(lambda: parse_choice("2", name="aktif", choices={"0", "1"})) == "not_choice"


def test_cursors_have_the_exact_shape() -> None:
    assert parse_cursor(encode_cursor([5, 9]), name="after", shape=(int, int)) == (5, 9)
    assert parse_cursor(encode_cursor(["A-1", 9]), name="after", shape=(str, int)) == ("A-1", 9)
    assert parse_cursor("", name="after", shape=(int, int)) is None
    for forged in ([1, "x"], [None, None], [{}, 1], [1], [1, 2, 3], [True, 1], [2**63, 1], "x", {"a": 1},
                   ["\x00", 1]):
        assert _reason(lambda forged=forged: parse_cursor(_b64(forged), name="after", shape=(int, int))) \
            == "bad_cursor"
    assert _reason(lambda: parse_cursor("!!!", name="after", shape=(int, int))) == "bad_cursor"
    assert _reason(lambda: parse_cursor(_b64("[" * 300), name="after", shape=(int, int))) in ("bad_cursor",
                                                                                              "too_long")


def test_refusals_are_400_with_a_bahasa_sentence() -> None:
    error = InvalidParameter(name="tahun", reason="out_of_range", min=2000, max=2100)
    assert isinstance(error, InvalidInput) and status_of(error) == 400
    assert error_text(error) == "Tahun harus antara 2000 dan 2100."


def test_refusals_name_the_field_people_see() -> None:
    """The document form's 'Versi' field refused: the page names that field (not 'nilai', not 'pada
    alamat' for a form field); a name without a label is still shown, never dropped."""
    text = error_text(InvalidParameter(name="versi", reason="not_integer"))
    assert text == "Nomor versi harus bilangan bulat yang ditulis dengan angka 0-9."
    assert error_text(InvalidParameter(name="a", reason="out_of_range", min=1, max=9)) == \
        "Versi yang dibandingkan harus antara 1 dan 9."
    assert error_text(InvalidParameter(name="zz", reason="too_long", max_length=5)) == \
        "Isian 'zz' terlalu panjang (paling banyak 5 karakter)."
    assert "nilai" not in error_text(InvalidParameter(name="nilai", reason="too_long", max_length=5)).lower()


def test_path_converters() -> None:
    assert IdConverter().to_python("12") == 12
    for value in ("0", str(ID_MAX + 1)):
        with pytest.raises(ValueError):
            IdConverter().to_python(value)
    assert YearConverter().to_python("2026") == 2026
    with pytest.raises(ValueError):
        YearConverter().to_python("1999")
    import re

    token = re.compile(f"^{TokenConverter.regex}$")
    assert token.match("32.15") and token.match("3215-2026-DES-000001")
    assert not token.match("a\x00b") and not token.match("a b") and not token.match("x" * 41)


_ANY_TEXT = st.one_of(st.none(), st.text(max_size=60), st.text(alphabet="0123456789-²١ \x00.e", max_size=25))


@given(_ANY_TEXT, st.integers(min_value=-(2**70), max_value=2**70), st.integers(min_value=0, max_value=2**70))
def test_parse_int_never_raises_anything_else(raw: str | None, low: int, span: int) -> None:
    try:
        value = parse_int(raw, name="n", min=low, max=low + span)
    except InvalidParameter:
        return
    assert value is None or low <= value <= low + span


@given(_ANY_TEXT)
def test_text_code_year_never_raise_anything_else(raw: str | None) -> None:
    for call in (lambda: parse_text(raw, name="q"), lambda: parse_year(raw), lambda: parse_id(raw, name="id"),
                 lambda: parse_code(raw, name="c"), lambda: parse_code(raw, name="c", kind="region"),
                 lambda: parse_code(raw, name="c", kind="nomenclature"),
                 lambda: parse_choice(raw, name="c", choices={"a"})):
        with contextlib.suppress(InvalidInput):  # InvalidParameter, or InvalidCode from the code grammar
            call()


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                                 max_size=3), max_leaves=8)


@given(st.one_of(_JSON.map(lambda v: _b64(v) if v == v else "x"), st.text(max_size=80), st.binary(max_size=60).map(
    lambda b: base64.urlsafe_b64encode(b).decode())), st.sampled_from([(int, int), (str, int)]))
def test_parse_cursor_never_raises_anything_else(raw: str, shape: tuple[type, ...]) -> None:
    try:
        values = parse_cursor(raw, name="after", shape=shape)
    except InvalidParameter:
        return
    assert values is None or [type(v) for v in values] == list(shape)
