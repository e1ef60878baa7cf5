"""Pure tests of the channel registry and the proposal entry checks (no database)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selaras.domain import proposal_entry as pe
from selaras.domain.channels import CHANNELS, ENTRY_FIELDS, IMPORT_CHANNELS, channels_for_role, spec
from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.lifecycle import ENTRY_STAGE, STAGE_AFTER_ENTRY, replay
from selaras.domain.proposals import CHANNEL_LABELS, Channel, Outcome, Stage
from selaras.domain.roles import Role
from selaras.formats.proposal_columns import columns_for

BEKASI = "32.16"
GOOD: dict[str, Any] = {"title": "Rehab jalan", "volume": "120", "unit": "meter", "estimated_cost": 150_000_000,
                        "village_code": "32.16.05.2001"}


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# ------------------------------------------------------------------------------ registry

def test_every_channel_has_one_spec_with_its_label_and_a_unique_prefix() -> None:
    assert list(CHANNELS) == list(Channel)
    prefixes = [s.prefix for s in CHANNELS.values()]
    assert len(set(prefixes)) == len(prefixes) and all(len(p) == 2 and p.isupper() for p in prefixes)
    assert all(s.label == CHANNEL_LABELS[c] for c, s in CHANNELS.items())
    assert spec("pokir").prefix == "PK" and spec(Channel.VILLAGE_MUSRENBANG).prefix == "MD"


def test_lifecycle_paths_come_from_the_registry() -> None:
    assert {c: s.entry_stage for c, s in CHANNELS.items()} == ENTRY_STAGE
    assert STAGE_AFTER_ENTRY[Channel.VILLAGE_MUSRENBANG] is Stage.DISTRICT
    assert STAGE_AFTER_ENTRY[Channel.POKIR] is Stage.AGENCY_VERIFICATION
    for channel, channel_spec in CHANNELS.items():
        state = replay(channel, [(channel_spec.entry_stage, Outcome.SUBMITTED)])
        assert state.stage is channel_spec.stage_after_entry


def test_who_may_submit_which_channel() -> None:
    assert channels_for_role(Role.VILLAGE_OPERATOR) == [Channel.VILLAGE_MUSRENBANG]
    assert channels_for_role(Role.DISTRICT_OPERATOR) == [Channel.VILLAGE_MUSRENBANG, Channel.DISTRICT_MUSRENBANG]
    assert channels_for_role(Role.AGENCY_PLANNER) == [Channel.AGENCY_DRAFT]
    assert channels_for_role(Role.COUNCILLOR) == [Channel.POKIR]
    assert channels_for_role(Role.PLANNING_AGENCY) == list(Channel) == channels_for_role(Role.ADMIN)
    assert channels_for_role(Role.BUDGET_TEAM) == []


_IMPORT_KEY = {"agency": "agency_code"}


@pytest.mark.parametrize("channel", IMPORT_CHANNELS)
def test_fields_a_channel_requires_are_required_import_columns(channel: Channel) -> None:
    required = {c.key for c in columns_for(channel) if c.required}
    wanted = {_IMPORT_KEY.get(name, name) for name in (*ENTRY_FIELDS, *spec(channel).required)}
    assert wanted <= required


def test_import_channels_are_the_importable_ones() -> None:
    assert IMPORT_CHANNELS == (Channel.VILLAGE_MUSRENBANG, Channel.DISTRICT_MUSRENBANG, Channel.POKIR,
                               Channel.AGENCY_DRAFT, Channel.ASPIRATION)


# ------------------------------------------------------------------------------ single checks

@pytest.mark.parametrize(("value", "clean", "code"), [
    ("120", Decimal("120.00"), None), ("2,5", Decimal("2.50"), None), (Decimal("0.5"), Decimal("0.50"), None),
    ("0", None, "row.volume_not_positive"), (-4, None, "row.volume_not_positive"),
    ("banyak", None, "row.not_number"), ("1,234", None, "row.too_many_decimals"),
    ("1e15", None, "row.number_too_large"), ("", None, "row.required"), (True, None, "row.not_number"),
    (float("nan"), None, "row.not_number"),
])
def test_volume(value: Any, clean: Decimal | None, code: str | None) -> None:
    got, found = pe.check_volume(value)
    assert got == clean and codes(found) == ([code] if code else [])


@pytest.mark.parametrize(("value", "clean", "code"), [
    (150_000_000, 150_000_000, None), ("Rp 1.500.000", 1_500_000, None), (0, 0, None),
    (-5, None, "row.cost_negative"), (1.5, None, "row.not_integer"), (10**19, None, "row.number_too_large"),
    ("mahal", None, "row.not_number"), (150_000_000.0, 150_000_000, None),
    # a point that is not a thousands point is a typo, not Rp 1 or Rp 2: refused, never guessed
    ("1.000000000", None, "row.not_integer"), ("Rp 2.0", None, "row.not_integer"), ("1.00.000", None, "row.not_number"),
])
def test_cost(value: Any, clean: int | None, code: str | None) -> None:
    got, found = pe.check_cost(value)
    assert got == clean and codes(found) == ([code] if code else [])


@given(st.integers(-(10**15), 10**15))
def test_a_sign_reads_grouped_thousands_the_same(n: int) -> None:
    # '-1.500' was -1.5 while '1.500' is 1500, and '-1.500.000' no number at all
    grouped = f"{abs(n):,}".replace(",", ".")
    assert pe.parse_number(grouped) == abs(n)
    assert pe.parse_number("-" + grouped) == -abs(n) and pe.parse_number("+" + grouped) == abs(n)
    assert pe.parse_number("Rp -" + grouped) == -abs(n)


@pytest.mark.parametrize(("typed", "axis", "clean"), [
    ("106.789", "lon", Decimal("106.789")), ("-6.200", "lat", Decimal("-6.2")), ("-6,2", "lat", Decimal("-6.2")),
    ("107,1234567", "lon", Decimal("107.123457")), (" 106.8 ", "lon", Decimal("106.8")), (106.789, "lon", Decimal("106.789")),
])
def test_coordinates_read_the_point_as_gps_does(typed: Any, axis: str, clean: Decimal) -> None:
    # a longitude typed '106.789' was read as 106,789 (thousands) and refused as outside the area
    assert pe.check_coordinate(typed, axis, pe.INDONESIA) == (clean.quantize(Decimal("0.000001")), [])


def test_unit_is_normalised_or_refused() -> None:
    assert pe.check_unit("M2") == ("m²", [])
    assert codes(pe.check_unit("m?")[1]) == ["row.unit_unknown"]
    assert codes(pe.check_unit("")[1]) == ["row.required"] and pe.check_unit("", required=False) == (None, [])


def test_coordinates_inside_the_bounds_given() -> None:
    small = pe.Bounds("Kabupaten Bekasi", (Decimal("-6.5"), Decimal("-6.0")), (Decimal(106), Decimal(108)))
    assert pe.check_coordinate("-6.24", "lat", small) == (Decimal("-6.240000"), [])
    found = pe.check_coordinate("-7", "lat", small, Location(row=3, column="Lintang"))[1]
    assert codes(found) == ["row.coordinate_invalid"]
    assert found[0].params == {"value": "-7", "low": "-6.5", "high": "-6", "area": "Kabupaten Bekasi"}
    assert found[0].location == Location(row=3, column="Lintang")
    assert pe.check_coordinate("-7", "lat", pe.INDONESIA)[1] == []
    assert pe.check_coordinate("", "lon", pe.INDONESIA) == (None, [])
    assert codes(pe.check_coordinate_pair("-6.2", None)) == ["row.coordinates_half"]
    assert pe.check_coordinate_pair(None, "") == [] and pe.check_coordinate_pair("-6.2", "107") == []


def test_rank() -> None:
    assert pe.check_rank("2") == (2, []) and pe.check_rank(None) == (None, [])
    assert codes(pe.check_rank(0)[1]) == ["row.rank_invalid"]


@pytest.mark.parametrize(("code", "kind", "ok"), [
    ("32.16.05.2001", "village", True), ("32.16.05.1001", "village", True), ("32.16.05", "village", False),
    ("32.16.05.5001", "village", False), ("32.16.05", "district", True), ("32.16", "district", False),
    ("32.16.x5", "district", False),
])
def test_region_code_grammar(code: str, kind: str, ok: bool) -> None:
    assert (pe.check_region_code(code, kind) == []) is ok


@pytest.mark.parametrize(("code", "ok"), [
    ("1.03.03.2.01.0001", True), ("X.XX.01.2.01.0001", True), ("", True), ("1.3.3", False),
    ("1.03.03.2.01.01", False), ("1.03.03", False),
])
def test_sub_activity_code_grammar(code: str, ok: bool) -> None:
    assert (pe.check_sub_activity_code(code) == []) is ok


def test_place_checks() -> None:
    assert pe.check_place("32.16.05.2001", "", BEKASI) == ("32.16.05.2001", "32.16.05", [])
    assert codes(pe.check_place("32.16.05.2001", "32.16.04", BEKASI)[2]) == ["row.village_district_mismatch"]
    assert codes(pe.check_place("", "32.15.01", BEKASI)[2]) == ["row.outside_government"]
    assert codes(pe.check_place("3216052001", "", BEKASI)[2]) == ["row.code_invalid"]
    assert pe.check_place("", "", BEKASI) == ("", "", [])


# ------------------------------------------------------------------------------ whole entry

@pytest.mark.parametrize(("channel", "missing", "field"), [
    (Channel.VILLAGE_MUSRENBANG, "village_code", "village_code"),
    (Channel.POKIR, "councillor_name", "councillor_name"),
    (Channel.AGENCY_DRAFT, "agency", "agency"),
])
def test_channel_requires_its_own_fields(channel: Channel, missing: str, field: str) -> None:
    values = {**GOOD, "councillor_name": "Budi", "agency": object()}
    values.pop(missing)
    entry = pe.check_entry(channel, values, region_code=BEKASI, bounds=pe.INDONESIA)
    assert [(f.code, f.params["field"]) for f in entry.findings] == [("row.channel_requires", field)]


def test_district_channel_is_satisfied_by_a_village() -> None:
    entry = pe.check_entry(Channel.DISTRICT_MUSRENBANG, GOOD, region_code=BEKASI, bounds=pe.INDONESIA)
    assert entry.ok and entry.values["district_code"] == "32.16.05"
    entry = pe.check_entry(Channel.DISTRICT_MUSRENBANG, {**GOOD, "village_code": ""}, region_code=BEKASI,
                           bounds=pe.INDONESIA)
    assert codes(entry.findings) == ["row.channel_requires"]


def test_a_good_entry_is_cleaned() -> None:
    entry = pe.check_entry("musrenbang_village", {**GOOD, "title": "  Rehab jalan ", "latitude": "-6.24",
                                                  "longitude": 107.15}, region_code=BEKASI, bounds=pe.INDONESIA)
    assert entry.ok and entry.findings == []
    assert entry.values["title"] == "Rehab jalan" and entry.values["unit"] == "m"
    assert entry.values["volume"] == Decimal("120.00") and entry.values["estimated_cost"] == 150_000_000
    assert entry.values["latitude"] == Decimal("-6.240000") and entry.values["longitude"] == Decimal("107.150000")


def test_every_problem_is_reported_in_check_order() -> None:
    values = {"title": " ", "volume": "0", "unit": "parsec", "estimated_cost": -1, "village_code": "32.16.05.2001",
              "latitude": "48.8", "longitude": "2.3", "sub_activity_code": "1.3.3"}
    entry = pe.check_entry(Channel.VILLAGE_MUSRENBANG, values, region_code=BEKASI, bounds=pe.INDONESIA)
    assert codes(entry.findings) == ["row.required", "row.volume_not_positive", "row.unit_unknown",
                                     "row.cost_negative", "row.coordinate_invalid", "row.coordinate_invalid",
                                     "row.code_invalid"]
    assert not entry.ok and all(f.severity is Severity.ERROR for f in entry.findings)
    assert set(codes(entry.findings)) <= set(pe.ENTRY_CODES)


def test_correction_skips_the_channels_own_fields() -> None:
    entry = pe.check_entry(Channel.POKIR, {**GOOD, "village_code": ""}, region_code="", bounds=pe.INDONESIA,
                           check_channel=False)
    assert entry.ok


_ANY = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                 st.decimals(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                 st.sampled_from(["32.16.05.2001", "32.16.05", "Rp 1.000", "1,5", "m2", "-6.2", ""]))
_FIELDS = ("title", "volume", "unit", "estimated_cost", "village_code", "district_code", "latitude", "longitude",
           "councillor_name", "agency", "sub_activity_code")


@given(channel=st.sampled_from(list(Channel)), values=st.fixed_dictionaries({}, optional=dict.fromkeys(_FIELDS, _ANY)),
       region=st.sampled_from(["32.16", "", "x"]))
def test_checks_never_raise_and_always_return_findings(channel: Channel, values: dict[str, Any], region: str) -> None:
    entry = pe.check_entry(channel, values, region_code=region, bounds=pe.INDONESIA)
    assert isinstance(entry.findings, list) and all(isinstance(f, Finding) for f in entry.findings)
    assert all(f.code in pe.ENTRY_CODES for f in entry.findings)
    assert entry.ok == (not entry.findings)


@given(value=_ANY)
def test_single_checks_never_raise(value: Any) -> None:
    for check in (pe.check_volume, pe.check_cost, pe.check_rank, pe.check_unit):
        clean, found = check(value)
        assert (clean is None) or not found
    for axis in ("lat", "lon"):
        pe.check_coordinate(value, axis, pe.INDONESIA)
    assert isinstance(pe.check_sub_activity_code(value if isinstance(value, str) else ""), list)


# ------------------------------------------------------------------------------ texts (one catalogue)

def test_every_code_has_a_text_in_the_one_catalogue() -> None:
    from selaras.formats.proposal_table import FINDING_CODES
    from selaras.web.proposals.messages import MESSAGES

    assert set(pe.ENTRY_CODES) <= set(MESSAGES)
    assert set(FINDING_CODES) <= set(MESSAGES)


def test_the_same_finding_reads_as_a_file_row_or_as_a_form_sentence() -> None:
    from selaras.web.proposals.messages import describe, sentence

    _, found = pe.check_volume(-4, Location(row=6791, column="Volume"))
    assert describe(found[0]) == "Baris 6791, kolom 'Volume': volume harus lebih dari 0 (-4)."
    assert sentence(found[0]) == "Volume harus lebih dari 0 (-4)."
    entry = pe.check_entry(Channel.VILLAGE_MUSRENBANG, {**GOOD, "title": "", "village_code": ""},
                           region_code=BEKASI, bounds=pe.INDONESIA)
    assert [sentence(f) for f in entry.findings] == [
        "Judul usulan wajib diisi.", "Usulan Musrenbang Desa/Kelurahan harus menyebut desa/kelurahan."]
    lat = pe.check_coordinate("48.8", "lat", pe.INDONESIA)[1][0]
    assert sentence(lat) == "Koordinat 48,8 di luar wilayah Indonesia (-11 s.d. 6)."
    bad = pe.check_region_code("32.16.5", "district")[0]
    assert sentence(bad) == "Kode kecamatan '32.16.5' tidak sah (contoh 32.16.05)."
    assert sentence(pe.check_volume("abc", Location(column="volume"))[1][0]) == "Volume: 'abc' bukan angka."
    assert sentence(pe.check_volume("abc")[1][0]) == "'abc' bukan angka."
