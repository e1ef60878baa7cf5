"""Code grammars: round trips, rejection of broken variants, parent/level consistency, real data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selaras.domain.codes import (
    AgencyCode,
    GovernmentLevelCode,
    NomenclatureCode,
    NomenclatureLevel,
    RegionCode,
    RegionLevel,
    VillageKind,
)
from selaras.domain.errors import InvalidCode
from selaras.reference import read_nomenclature, read_regions
from selaras.web.errors.messages import error_text

# Per-test settings (not a global profile, which would change other modules' property tests).
examples = settings(max_examples=150, deadline=None, derandomize=True)


def digits(width: int, nonzero: bool = False) -> st.SearchStrategy[str]:
    text = st.text(alphabet="0123456789", min_size=width, max_size=width)
    return text.filter(lambda s: set(s) != {"0"}) if nonzero else text


@st.composite
def region_codes(draw: st.DrawFn) -> str:
    level = draw(st.integers(1, 4))
    parts = [draw(digits(2, True)) for _ in range(min(level, 3))]
    if level == 4:
        parts.append(draw(st.sampled_from("123")) + draw(digits(3)))
    return ".".join(parts)


@st.composite
def nomenclature_codes(draw: st.DrawFn) -> str:
    n = draw(st.sampled_from([1, 2, 3, 5, 6]))
    affair = draw(st.sampled_from("123456789X"))
    parts = [affair]
    if n >= 2:
        parts.append("XX" if affair == "X" else draw(digits(2)))
    if n >= 3:
        parts.append(draw(digits(2)))
    if n >= 5:
        parts += [draw(st.sampled_from("12")), draw(digits(2))]
    if n == 6:
        parts.append(draw(digits(4)))
    return ".".join(parts)


@st.composite
def sector_pairs(draw: st.DrawFn) -> str:
    affair = draw(st.sampled_from("123456789X"))
    return f"{affair}.{'XX' if affair == 'X' else draw(digits(2))}"


@st.composite
def agency_codes(draw: st.DrawFn) -> str:
    first = draw(sector_pairs())
    rest = [draw(st.one_of(st.just("0.00"), sector_pairs())) for _ in range(2)]
    return ".".join([first, *rest, draw(digits(2)), draw(digits(4))])


def broken(code: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Variants that no grammar accepts: a letter inside a part, a part one digit longer,
    an empty part, a trailing dot, or spaces/commas as separators."""

    @st.composite
    def variant(draw: st.DrawFn) -> str:
        parts = draw(code).split(".")
        index = draw(st.integers(0, len(parts) - 1))
        how = draw(st.sampled_from(["letter", "longer", "empty", "trailing", "comma"]))
        if how == "letter":
            parts[index] = parts[index] + "a"
        elif how == "longer":
            parts[index] = parts[index] + "1"
        elif how == "empty":
            parts.insert(index, "")
        elif how == "trailing":
            return ".".join(parts) + "."
        else:
            return ",".join(parts) if len(parts) > 1 else parts[0] + ",1"
        return ".".join(parts)

    return variant()


# ---------------------------------------------------------------- region


@examples
@given(region_codes())
def test_region_round_trip_and_parent_level(text: str) -> None:
    code = RegionCode.parse(text)
    assert str(code) == text
    assert format(code) == text
    assert code.level == RegionLevel(text.count(".") + 1)
    if code.level == RegionLevel.PROVINCE:
        assert code.parent is None
    else:
        assert code.parent is not None
        assert code.parent.level == code.level - 1
        assert code.parent.contains(code)
        assert text.startswith(str(code.parent) + ".")
    assert code.province.contains(code)
    assert code.is_village == (code.level == RegionLevel.VILLAGE)


@examples
@given(region_codes())
def test_region_village_kind(text: str) -> None:
    code = RegionCode.parse(text)
    if not code.is_village:
        assert code.village_kind is None
        return
    n = text.rsplit(".", 1)[1][0]
    expected = VillageKind.KELURAHAN if n == "1" else VillageKind.DESA
    assert code.village_kind == expected
    assert code.is_customary_village == (n == "3")


@examples
@given(broken(region_codes()))
def test_region_broken_variants_rejected(text: str) -> None:
    with pytest.raises(InvalidCode) as caught:
        RegionCode.parse(text)
    assert "tidak sah" in error_text(caught.value)
    assert caught.value.code == "invalid_code"


@pytest.mark.parametrize(("text", "fragment"), [
    ("00", "tidak boleh 00"),
    ("11.1", "bagian ke-2 ('1')"),
    ("11.01.01.4001", "1 (kelurahan), 2 (desa)"),
    ("11.01.01.2001.1", "terlalu banyak bagian"),
    ("", "kode kosong"),
])
def test_region_messages_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(InvalidCode, match=None) as caught:
        RegionCode.parse(text)
    assert fragment in error_text(caught.value)


def test_region_ancestor_and_contains() -> None:
    village = RegionCode.parse("32.04.12.2005")
    assert str(village.ancestor(RegionLevel.REGENCY_CITY)) == "32.04"
    assert RegionCode.parse("32.04").contains(village)
    assert not RegionCode.parse("32.05").contains(village)
    with pytest.raises(InvalidCode):
        RegionCode.parse("32.04").ancestor(RegionLevel.VILLAGE)


# ---------------------------------------------------------------- nomenclature


@examples
@given(nomenclature_codes())
def test_nomenclature_round_trip_and_parent_level(text: str) -> None:
    code = NomenclatureCode.parse(text)
    assert str(code) == text
    n = text.count(".") + 1
    assert code.level == {1: "affair", 2: "sector", 3: "program", 5: "activity", 6: "sub_activity"}[n]
    if code.level == NomenclatureLevel.AFFAIR:
        assert code.parent is None
        return
    parent = code.parent
    assert parent is not None
    order = list(NomenclatureLevel)
    assert order.index(parent.level) == order.index(code.level) - 1
    assert parent.contains(code) and text.startswith(str(parent) + ".")
    assert code.is_supporting == (text[0] == "X")


@examples
@given(nomenclature_codes())
def test_nomenclature_government_level_and_supporting_program(text: str) -> None:
    code = NomenclatureCode.parse(text)
    parts = text.split(".")
    if len(parts) >= 5 and parts[3] in ("1", "2"):
        expected = GovernmentLevelCode.PROVINCE if parts[3] == "1" else GovernmentLevelCode.REGENCY_CITY
        assert code.government_level == expected
    else:
        assert code.government_level is None  # above activity level, or L = 3..9 (editions from 2023)
    assert code.is_supporting_program == (len(parts) >= 3 and parts[2] == "01")


@examples
@given(broken(nomenclature_codes()))
def test_nomenclature_broken_variants_rejected(text: str) -> None:
    with pytest.raises(InvalidCode):
        NomenclatureCode.parse(text, allow_unknown_affair=True)


@pytest.mark.parametrize(("text", "fragment"), [
    ("1.01.02.2.01.01", "4 angka sejak Kepmendagri 050-3708/2020"),
    ("1.01.02.0.01", "tingkat pemerintahan (L)"),
    ("1.01.02.2", "kegiatan selalu ditulis dengan L.KK"),
    ("X.01", "harus XX"),
    ("1.XX", "hanya untuk urusan X"),
    ("0.01", "bagian ke-1 ('0')"),
    ("?.01.02", "kekhususan Aceh"),
])
def test_nomenclature_messages_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(InvalidCode) as caught:
        NomenclatureCode.parse(text)
    assert fragment in error_text(caught.value)


def test_unknown_affair_only_with_flag() -> None:
    code = NomenclatureCode.parse("?.01.02.2.01.0001", allow_unknown_affair=True)
    assert not code.affair_known
    assert str(code.parent) == "?.01.02.2.01"
    assert code == NomenclatureCode.parse("?.01.02.2.01.0001", allow_unknown_affair=True)
    assert NomenclatureCode.parse("1.01") == NomenclatureCode.parse("1.01", allow_unknown_affair=True)


# ---------------------------------------------------------------- agency


@examples
@given(agency_codes())
def test_agency_round_trip(text: str) -> None:
    code = AgencyCode.parse(text)
    assert str(code) == text
    parts = text.split(".")
    used = [f"{parts[i]}.{parts[i + 1]}" for i in (0, 2, 4) if (parts[i], parts[i + 1]) != ("0", "00")]
    assert [str(s) for s in code.sectors] == used
    assert all(s.level == NomenclatureLevel.SECTOR for s in code.sectors)
    assert code.is_main_unit == (parts[7] == "0000")
    assert code.main_unit.is_main_unit


@examples
@given(broken(agency_codes()))
def test_agency_broken_variants_rejected(text: str) -> None:
    with pytest.raises(InvalidCode):
        AgencyCode.parse(text)


def test_agency_example_and_errors() -> None:
    code = AgencyCode.parse("1.01.2.22.0.00.01.0000")
    assert [str(s) for s in code.sectors] == ["1.01", "2.22"]
    assert code.organisation == "01" and code.unit == "0000"
    with pytest.raises(InvalidCode) as caught:
        AgencyCode.parse("0.00.1.01.0.00.01.0000")
    assert "pertama tidak boleh kosong" in error_text(caught.value)
    with pytest.raises(InvalidCode) as caught:
        AgencyCode.parse("1.01.2.22.01.0000")
    assert "harus 8 bagian" in error_text(caught.value)
    assert caught.value.params["reason"] == "agency_parts" and caught.value.params["count"] == 6


# ---------------------------------------------------------------- packaged data


def test_every_packaged_region_code_parses() -> None:
    records = read_regions()
    assert len(records) == 91_599
    for record in records:
        code = RegionCode.parse(record.code)
        assert str(code) == record.code
        assert int(code.level) == record.level
        assert (str(code.parent) if code.parent else "") == record.parent_code
        if code.is_village:
            assert code.village_kind == record.kind


def test_every_packaged_nomenclature_code_parses() -> None:
    records = read_nomenclature()
    assert len(records) == 6_938
    unknown = 0
    for record in records:
        code = NomenclatureCode.parse(record.code, allow_unknown_affair=True)
        unknown += not code.affair_known
        assert str(code) == record.code
        assert code.level == record.level
        assert (str(code.parent) if code.parent else "") == record.parent_code
        if code.government_level is not None:
            assert code.government_level == record.government_level
    assert unknown == 106
