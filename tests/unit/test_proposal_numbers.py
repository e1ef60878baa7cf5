"""One proposal number format, read leniently (issue 15 finding 4)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from selaras.domain.proposal_numbers import canonical_number, format_number, read_number_query


def test_the_one_format() -> None:
    assert format_number("3216", 2027, "MD", 12) == "3216-2027-MD-000012"


def test_typed_numbers_become_the_canonical_one() -> None:
    for typed in ("3216-2027-MD-000012", "3216-2027-md-000012", " 3216 2027 md 12 ", "3216.2027.MD.12",
                  "32.16-2027-MD-000012", "3216/2027/md/0012", "3216–2027–MD–12"):
        assert canonical_number(typed) == "3216-2027-MD-000012", typed
        assert read_number_query(typed).exact == "3216-2027-MD-000012"


def test_partial_numbers_are_fragments() -> None:
    assert read_number_query("md-12").fragment == "MD-000012"
    assert read_number_query("2027 pr 5").fragment == "2027-PR-000005"
    assert read_number_query("000012").fragment == "000012"
    assert read_number_query("md-12").exact is None


def test_what_is_not_a_number() -> None:
    for typed in ("", "12", "x%", "3216-2027-ZZ-000012", "3216-1999-MD-1", "DROP TABLE", "ab_c"):
        query = read_number_query(typed)
        assert query.exact is None, typed
    assert read_number_query("12").empty and read_number_query("x%").empty
    assert canonical_number("3216-2027-ZZ-000012") is None  # no such channel prefix


@given(st.text(max_size=60))
def test_reading_never_raises_and_fragments_are_safe(text: str) -> None:
    query = read_number_query(text)
    assert query.exact is None or query.exact.count("-") == 3
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in query.fragment)
