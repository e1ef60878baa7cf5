"""Entry checks of a proposal, pure: the same rules for the web form, the service and the import.

Why: the web service and the bulk import used to check volume, cost, unit, coordinates and codes
each in their own way. Each check here takes raw values (as typed or as read from a cell) and
returns the cleaned value and `Finding`s with stable codes; nothing raises. Bahasa text for the
codes is made at the edge (one catalogue in the web layer). Codes start with ``row.``: a
problem in the values of one proposal, whether it came from a form or from a row of a file.

The government's area is data (`Bounds`), passed in by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from selaras.domain.channels import ENTRY_FIELDS, spec
from selaras.domain.codes import NomenclatureCode, RegionCode
from selaras.domain.errors import InvalidCode
from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.plausibility import PLAUSIBILITY_CODES, check_plausibility
from selaras.domain.proposals import Channel
from selaras.domain.units import normalise_unit
from selaras.domain.values import as_text

__all__ = [
    "Bounds", "INDONESIA", "NOWHERE", "MAX_VOLUME", "MAX_COST", "MAX_RANK", "ENTRY_CODES", "Entry",
    "parse_number", "loose_point", "shown", "check_volume", "check_cost", "check_rank", "check_unit",
    "check_coordinate", "check_coordinate_pair", "check_required", "check_region_code", "parse_coordinate",
    "check_sub_activity_code", "check_place", "check_village_in_district", "check_entry", "check_length",
    "MAX_TITLE", "MAX_DESCRIPTION",
]

MAX_VOLUME = Decimal("999999999999.99")  # Proposal.volume: 14 digits, 2 decimals
MAX_COST = 9_000_000_000_000_000  # fits a BigIntegerField with room to spare
MAX_RANK = 1_000_000
#: Longest title and address (Proposal.title/address): longer text is refused, never cut.
MAX_TITLE = 300
#: Longest reason/problem text of a proposal typed in a form (a few pages; longer is refused, never cut).
MAX_DESCRIPTION = 5000

#: Stable codes of the entry checks (the import adds its own file and header codes).
ENTRY_CODES = (
    "row.required", "row.channel_requires", "row.not_number", "row.not_integer", "row.volume_not_positive",
    "row.cost_negative", "row.number_too_large", "row.too_many_decimals", "row.rank_invalid",
    "row.unit_unknown", "row.coordinate_invalid", "row.coordinates_half", "row.code_invalid",
    "row.village_district_mismatch", "row.outside_government", "row.too_long", *PLAUSIBILITY_CODES,
)


@dataclass(frozen=True, slots=True)
class Bounds:
    """A rectangle of latitude and longitude a proposal's coordinates must lie in, and its name."""

    area: str
    lat: tuple[Decimal, Decimal]
    lon: tuple[Decimal, Decimal]


#: The whole country: the area used while a government's own rectangle is not recorded.
INDONESIA = Bounds("Indonesia", (Decimal(-11), Decimal(6)), (Decimal(95), Decimal(141)))


#: The location of a value typed by hand (no file row, no column).
NOWHERE = Location()


def _error(code: str, where: Location, **params: Any) -> Finding:
    return Finding(code, Severity.ERROR, where, params)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_CENT, _MICRO = Decimal("0.01"), Decimal("0.000001")
_INT_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_number(value: Any) -> Decimal | None:
    """A number as people write it (Indonesian decimal comma, 'Rp', grouped thousands); None if not."""
    kind = type(value)  # exact types first: an import calls this for every number cell
    if kind is int:
        return Decimal(value)
    if kind is float:
        number = Decimal(repr(value))
        return number if number.is_finite() else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return parse_number(float(value))
    text = str(value).strip().replace(" ", "")
    if text.lower().startswith("rp"):
        text = text[2:].lstrip(".").strip()
    if _INT_GROUPED.match(text.lstrip("+-")):  # a sign reads the rest the same: -1.500 is -1500
        text = text.replace(".", "")
    elif "," in text:
        text = text.replace(".", "").replace(",", ".")  # 1.234,5 (Indonesian) or 2,5
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def loose_point(value: Any) -> bool:
    """Whether typed text writes an amount with a point that is not a thousands point
    ('1.000000000', '2.0'): read the Indonesian way it is a typo of '1.000.000.000', read the
    English way a tiny amount. A whole amount (rupiah, a count) refuses it rather than guess."""
    if not isinstance(value, str):
        return False
    text = value.strip().replace(" ", "")
    if text.lower().startswith("rp"):
        text = text[2:].lstrip(".").strip()
    text = text.lstrip("+-")
    return "." in text and "," not in text and not _INT_GROUPED.match(text)


#: Most zeros a quoted number is written out with: beyond, it keeps its exponent ('1e99999999').
_WRITTEN_ZEROS = 24


def shown(number: Decimal) -> str:
    """A number as a person wrote it, exact, short, never raising: -4.0 -> '-4', 1E+2 -> '100',
    2.50 -> '2.5'. A number that would need more than `_WRITTEN_ZEROS` zeros keeps its exponent
    ('1e99999999', '2.5e-40'): written out it is megabytes long, and `Decimal.normalize` (which
    this used) overflowed on it, rounded 50 nines to 1E+50 and 1e-99999999 to 0 (its context).

    The decimal point is the neutral one of the finding's params: the Bahasa text ('2,5',
    '1.500') is made at the edge (`web.proposals.messages`), like every number of a message.
    """
    if not number.is_finite():
        return str(number)
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # a finite number's exponent
    text = "".join(map(str, digits)).rstrip("0")
    if not text:
        return "0"
    exponent += len(digits) - len(text)  # the trailing zeros moved into the exponent
    leading = len(text) + exponent - 1  # the power of ten of the first digit
    minus = "-" if sign else ""
    if exponent > _WRITTEN_ZEROS or leading < -_WRITTEN_ZEROS:
        rest = f".{text[1:]}" if len(text) > 1 else ""
        return f"{minus}{text[0]}{rest}e{leading}"
    if exponent >= 0:
        return minus + text + "0" * exponent
    if leading >= 0:
        return f"{minus}{text[:leading + 1]}.{text[leading + 1:]}"
    return f"{minus}0.{'0' * (-leading - 1)}{text}"


def _not_a_number(value: Any, where: Location, required: bool) -> list[Finding]:
    """Why `value` gave no number: it is empty (a problem only when required) or not a number."""
    if value is None or (type(value) is str and not value.strip()):
        return [_error("row.required", where)] if required else []
    return [_error("row.not_number", where, value=as_text(value)[:50])]


def check_volume(value: Any, where: Location = NOWHERE, required: bool = True
                 ) -> tuple[Decimal | None, list[Finding]]:
    """Volume: a number above zero, at most two decimals, within the stored size."""
    number = parse_number(value)
    if number is None:
        return None, _not_a_number(value, where, required)
    if number <= 0:
        return None, [_error("row.volume_not_positive", where, value=shown(number))]
    if number > MAX_VOLUME:
        return None, [_error("row.number_too_large", where, value=shown(number))]
    cents = number.quantize(_CENT)
    if number != cents:
        return None, [_error("row.too_many_decimals", where, value=shown(number))]
    return cents, []


def check_cost(value: Any, where: Location = NOWHERE, required: bool = True) -> tuple[int | None, list[Finding]]:
    """Estimated cost: whole rupiah, zero or more, within the stored size."""
    number = parse_number(value)
    if number is None:
        return None, _not_a_number(value, where, required)
    if number != number.to_integral_value() or loose_point(value):
        return None, [_error("row.not_integer", where, value=shown(number))]
    if number < 0:
        return None, [_error("row.cost_negative", where, value=shown(number))]
    if number > MAX_COST:
        return None, [_error("row.number_too_large", where, value=shown(number))]
    return int(number), []


def check_rank(value: Any, where: Location = NOWHERE) -> tuple[int | None, list[Finding]]:
    """Priority rank: empty, or a whole number 1, 2, 3 ..."""
    number = parse_number(value)
    if number is None:
        return None, _not_a_number(value, where, False)
    if number != number.to_integral_value() or number < 1 or number > MAX_RANK:
        return None, [_error("row.rank_invalid", where, value=shown(number))]
    return int(number), []


def check_unit(value: Any, where: Location = NOWHERE, required: bool = True) -> tuple[str | None, list[Finding]]:
    """The controlled unit of a spelling (`domain.units`), or a finding."""
    text = as_text(value)
    if not text:
        return None, [_error("row.required", where)] if required else []
    unit = normalise_unit(text)
    if unit is None:
        return None, [_error("row.unit_unknown", where, value=text)]
    return unit, []


_COORDINATE = re.compile(r"^[+-]?\d{1,3}[.,]\d+$")


def parse_coordinate(value: Any) -> Decimal | None:
    """A latitude or longitude: typed text with one point or comma reads it as the decimal mark,
    as GPS and maps write them ('106.789' is 106.789, '-6,2' is -6.2; a thousands point makes no
    sense in degrees); else as `parse_number`."""
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if _COORDINATE.match(text):
            return Decimal(text.replace(",", "."))
    return parse_number(value)


def check_coordinate(value: Any, axis: str, bounds: Bounds, where: Location = NOWHERE
                     ) -> tuple[Decimal | None, list[Finding]]:
    """A latitude (`axis` 'lat') or longitude ('lon') inside `bounds`; empty is allowed."""
    number = parse_coordinate(value)
    if number is None:
        return None, _not_a_number(value, where, False)
    low, high = bounds.lat if axis == "lat" else bounds.lon
    if not low <= number <= high:
        return None, [_error("row.coordinate_invalid", where, value=shown(number), low=shown(low),
                             high=shown(high), area=bounds.area)]
    return number.quantize(_MICRO), []


def check_coordinate_pair(latitude: Any, longitude: Any, where: Location = NOWHERE) -> list[Finding]:
    """Latitude and longitude go together: both or neither."""
    if _blank(latitude) != _blank(longitude):
        return [_error("row.coordinates_half", where)]
    return []


def check_required(channel: Channel | str, values: Mapping[str, Any]) -> list[Finding]:
    """Fields every proposal needs, then the fields its channel needs (`ChannelSpec.required`).

    A kecamatan is named by a village code as well (the village lies in it).
    """
    found = [_error("row.required", Location(column=name), field=name)
             for name in ENTRY_FIELDS if _blank(values.get(name))]
    channel_spec = spec(channel)
    for name in channel_spec.required:
        given = values.get(name)
        if name == "district_code" and _blank(given):
            given = values.get("village_code")
        if _blank(given):
            found.append(_error("row.channel_requires", Location(column=name), field=name,
                                channel=channel_spec.channel.value))
    return found


_CODE_PARTS = {"village": 4, "district": 3}


def check_region_code(code: str, kind: str, where: Location = NOWHERE) -> list[Finding]:
    """A village (`kind` 'village', four parts) or kecamatan ('district', three parts) code."""
    try:
        ok = len(RegionCode.parse(code).parts) == _CODE_PARTS[kind]
    except InvalidCode:
        ok = False
    return [] if ok else [_error("row.code_invalid", where, kind=kind, value=code)]


def check_sub_activity_code(code: str, where: Location = NOWHERE) -> list[Finding]:
    """A sub-activity code (six parts of the nomenclature grammar); empty is allowed."""
    code = (code or "").strip()
    if not code:
        return []
    try:
        ok = len(NomenclatureCode.parse(code).parts) == 6
    except InvalidCode:
        ok = False
    return [] if ok else [_error("row.code_invalid", where, kind="sub_activity", value=code)]


def _district_of(village_code: str) -> str:
    return village_code.rsplit(".", 1)[0]


def check_village_in_district(village_code: str, district_code: str, where: Location = NOWHERE
                              ) -> tuple[str, list[Finding]]:
    """The kecamatan of a place: the one given, or the village's. The village must lie in it."""
    if not village_code:
        return district_code, []
    district = _district_of(village_code)
    if district_code and district_code != district:
        return district_code, [_error("row.village_district_mismatch", where, village=village_code,
                                      district=district_code)]
    return district, []


def check_place(village_code: str, district_code: str, region_code: str) -> tuple[str, str, list[Finding]]:
    """Village and kecamatan codes: grammar, the village inside the kecamatan, inside the government."""
    village, district = (village_code or "").strip(), (district_code or "").strip()
    if village:
        found = check_region_code(village, "village", Location(column="village_code"))
        if found:
            return village, district, found
        district, found = check_village_in_district(village, district, Location(column="district_code"))
        if found:
            return village, district, found
    if district:
        found = check_region_code(district, "district", Location(column="district_code"))
        if found:
            return village, district, found
        if not district.startswith(region_code + "."):
            return village, district, [_error("row.outside_government", Location(column="district_code"),
                                              value=district)]
    return village, district, []


@dataclass
class Entry:
    """The cleaned values of one proposal and what was wrong (in check order)."""

    findings: list[Finding] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


def check_length(value: str, column: str, limit: int = MAX_TITLE) -> list[Finding]:
    """Text longer than its field holds is refused with its length (never silently cut)."""
    if len(value) > limit:
        return [_error("row.too_long", Location(column=column), field=column, length=len(value), max=limit)]
    return []


def check_entry(channel: Channel | str, values: Mapping[str, Any], *, region_code: str,
                bounds: Bounds, check_channel: bool = True, budget: int | None = None) -> Entry:
    """All entry checks of one proposal typed in a form (or sent to the service).

    Order: required fields, place, numbers, unit, coordinates, sub-activity; every finding is
    kept, the caller shows the first error. `check_channel` off skips the channel's own fields (a
    correction keeps its place and owner). Plausibility of cost and volume comes last
    (`domain.plausibility`, with the government's yearly `budget` when known): its hard bounds are
    errors, the rest warnings (`Entry.warnings`), which never stop an entry. Never raises.
    """
    entry = Entry()
    found = entry.findings
    title = as_text(values.get("title"))
    entry.values["title"] = title
    found += check_length(title, "title")
    found += check_length(as_text(values.get("address")), "address")
    found += check_length(as_text(values.get("description")), "description", MAX_DESCRIPTION)
    if check_channel:
        found += check_required(channel, {**values, "title": title})
    elif not title:
        found.append(_error("row.required", Location(column="title"), field="title"))
    village, district, place = check_place(as_text(values.get("village_code")), as_text(values.get("district_code")),
                                           region_code)
    found += place
    entry.values["village_code"], entry.values["district_code"] = village, district
    for name, check in (("volume", check_volume), ("unit", check_unit), ("estimated_cost", check_cost)):
        if _blank(values.get(name)):
            continue  # reported by the required check
        clean, problems = check(values.get(name), Location(column=name))
        entry.values[name] = clean
        found += problems
    rank, problems = check_rank(values.get("priority_rank"), Location(column="priority_rank"))
    entry.values["priority_rank"] = rank
    found += problems
    lat, lon = values.get("latitude"), values.get("longitude")
    pair = check_coordinate_pair(lat, lon, Location(column="latitude"))
    found += pair
    for name, axis, raw in (("latitude", "lat", lat), ("longitude", "lon", lon)):
        clean_coord, problems = check_coordinate(raw, axis, bounds, Location(column=name))
        entry.values[name] = clean_coord
        if not pair:
            found += problems
    sub = as_text(values.get("sub_activity_code"))
    entry.values["sub_activity_code"] = sub
    found += check_sub_activity_code(sub, Location(column="sub_activity_code"))
    if entry.ok:
        found += check_plausibility(volume=entry.values.get("volume"), unit=entry.values.get("unit"),
                                    cost=entry.values.get("estimated_cost"), sub_activity_code=sub, budget=budget)
    return entry
