"""One strict parser for values read from query strings and URL paths.

Why one place: query strings and path parts are typed by anyone, and each view used to guess in its
own way (`str.isdigit()` accepts '²' and '١٢', which `int()` then refuses; a 30-digit number
overflows SQLite; a NUL byte makes PostgreSQL refuse the query). Each of these was a 500. Here every
value is checked the same way: ASCII digits only, a range (years 2000..2100, ids 1..2^63-1), bounded
lengths, no NUL or other control character, list cursors of the exact expected shape. A bad value
raises `InvalidParameter` (an `InvalidInput`: the one error mapper answers 400 with a Bahasa
message); a missing or empty value gives the default.

- `parse_*` are pure functions of a string (unit-tested with hypothesis: they never raise anything
  but `InvalidParameter`/`InvalidCode`).
- `*_param(source, name, ...)` read `source.GET` (a request) or `source` itself (a QueryDict or
  any mapping, e.g. `request.POST`).
- Path converters `id`, `year` and `token` (`<id:pk>`, `<year:year>`, `<token:number>`) refuse the
  same values in paths (no match: 404); `register_converters()` is called by the URL modules that
  use them.
"""

from __future__ import annotations

import base64
import binascii
import json
import unicodedata
from collections.abc import Collection, Mapping
from typing import Any, ClassVar, Literal

from django.urls import converters as django_converters
from django.urls import register_converter

from selaras.domain.codes import NomenclatureCode, RegionCode
from selaras.domain.errors import InvalidInput

__all__ = [
    "ID_MAX", "INT_MAX", "INT_MIN", "MAX_TEXT", "YEAR_MAX", "YEAR_MIN",
    "InvalidParameter",
    "choice_param", "code_param", "cursor_param", "encode_cursor", "id_param", "int_param", "page_param",
    "parse_choice", "parse_code", "parse_cursor", "parse_id", "parse_int", "parse_text", "parse_year",
    "register_converters", "text_param", "year_param",
]

#: Signed 64-bit: the widest integer SQLite and PostgreSQL bigint store.
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
ID_MAX = INT_MAX
YEAR_MIN = 2000
YEAR_MAX = 2100
#: Default length cap of a free-text value (search boxes and the like).
MAX_TEXT = 200
#: Highest page number a paged list accepts (Paginator then shows its last page).
MAX_PAGE = 1_000_000
#: Longest code or proposal number accepted in a query or path (the longest real one is ~24).
MAX_CODE = 40
MAX_CURSOR = 400
_MAX_DIGITS = 19  # 2^63 has 19 digits; more than that is out of range before int() runs

CodeKind = Literal["region", "nomenclature"]


class InvalidParameter(InvalidInput):
    """A query or path value that cannot be used.

    params: `name` (the parameter), `reason` (a key of the catalogue's parameter reasons:
    not_integer, out_of_range, too_long, control_character, not_choice, bad_cursor) and the
    reason's facts (`min`, `max`, `max_length`).
    """

    code: ClassVar[str] = "invalid_parameter"


def _fail(name: str, reason: str, **facts: object) -> InvalidParameter:
    return InvalidParameter(name=name, reason=reason, **facts)


def _is_refused_char(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs")


# ---------------------------------------------------------------- pure parsers


def parse_text(raw: str | None, *, name: str, max_length: int = MAX_TEXT, default: str = "",
               strip: bool = True) -> str:
    """Free text: at most `max_length` characters, no NUL or other control character."""
    if raw is None:
        return default
    text = raw.strip() if strip else raw
    if not text:
        return default
    if len(text) > max_length:
        raise _fail(name, "too_long", max_length=max_length)
    if any(_is_refused_char(ch) for ch in text):
        raise _fail(name, "control_character")
    return text


def parse_int(raw: str | None, *, name: str, min: int = INT_MIN, max: int = INT_MAX,  # noqa: A002
              default: int | None = None) -> int | None:
    """An integer written in ASCII digits (an optional leading '-'), within [min, max]."""
    if raw is None:
        return default
    text = raw.strip(" \t")
    if not text:
        return default
    digits = text[1:] if text[0] == "-" else text
    if not digits or not digits.isascii() or not digits.isdigit():
        raise _fail(name, "not_integer")
    if len(digits.lstrip("0")) > _MAX_DIGITS:
        raise _fail(name, "out_of_range", min=min, max=max)
    value = int(text)
    if not min <= value <= max:
        raise _fail(name, "out_of_range", min=min, max=max)
    return value


def parse_year(raw: str | None, *, name: str = "tahun", default: int | None = None) -> int | None:
    """A plan year, 2000..2100."""
    return parse_int(raw, name=name, min=YEAR_MIN, max=YEAR_MAX, default=default)


def parse_id(raw: str | None, *, name: str, default: int | None = None) -> int | None:
    """A database id, 1..2^63-1."""
    return parse_int(raw, name=name, min=1, max=ID_MAX, default=default)


def parse_choice(raw: str | None, *, name: str, choices: Collection[str], default: str = "") -> str:
    """One of `choices` (an empty value gives `default`)."""
    text = parse_text(raw, name=name, max_length=MAX_CODE)
    if not text:
        return default
    if text not in choices:
        raise _fail(name, "not_choice")
    return text


def parse_code(raw: str | None, *, name: str, kind: CodeKind | None = None,
               default: str | None = None) -> str | None:
    """A region or nomenclature code (grammar of `selaras.domain.codes`; raises `InvalidCode`).

    With `kind` None only the shape is checked (bounded length, no control character, no space):
    for proposal numbers and codes looked up as they are.
    """
    text = parse_text(raw, name=name, max_length=MAX_CODE)
    if not text:
        return default
    if any(ch.isspace() for ch in text):
        raise _fail(name, "control_character")
    if kind == "region":
        return str(RegionCode.parse(text))
    if kind == "nomenclature":
        return str(NomenclatureCode.parse(text))
    return text


_CURSOR_TYPES: dict[type, tuple[type, ...]] = {int: (int,), str: (str,)}


def encode_cursor(values: list[Any] | tuple[Any, ...]) -> str:
    """The URL-safe token of a list cursor (the inverse of `parse_cursor`)."""
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def parse_cursor(raw: str | None, *, name: str, shape: tuple[type, ...]) -> tuple[Any, ...] | None:
    """A list cursor: base64 of a JSON list whose items have exactly the types of `shape`.

    `shape` holds `int` (a 64-bit integer, never a bool) or `str` (bounded, no control character);
    e.g. `(int, int)` for (cost, id) or `(str, int)` for (number, id). Empty gives None.
    """
    text = parse_text(raw, name=name, max_length=MAX_CURSOR)
    if not text:
        return None
    try:
        decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        values = json.loads(decoded.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise _fail(name, "bad_cursor") from None
    if not isinstance(values, list) or len(values) != len(shape):
        raise _fail(name, "bad_cursor")
    out: list[Any] = []
    for value, kind in zip(values, shape, strict=True):
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or not INT_MIN <= value <= INT_MAX:
                raise _fail(name, "bad_cursor")
        elif kind is str:
            if not isinstance(value, str) or len(value) > MAX_TEXT or any(_is_refused_char(c) for c in value):
                raise _fail(name, "bad_cursor")
        else:
            raise TypeError(f"cursor item type {kind!r} is not supported")
        out.append(value)
    return tuple(out)


# ---------------------------------------------------------------- request glue


def _raw(source: Any, name: str) -> str | None:
    data: Mapping[str, Any] = source.GET if hasattr(source, "GET") else source
    value = data.get(name)
    return None if value is None else str(value)


def int_param(source: Any, name: str, *, min: int = INT_MIN, max: int = INT_MAX,  # noqa: A002
              default: int | None = None) -> int | None:
    """`parse_int` of the query parameter `name` (source: a request or a QueryDict)."""
    return parse_int(_raw(source, name), name=name, min=min, max=max, default=default)


def year_param(source: Any, name: str = "tahun", *, default: int | None = None) -> int | None:
    """`parse_year` of the query parameter `name`."""
    return parse_year(_raw(source, name), name=name, default=default)


def id_param(source: Any, name: str, *, default: int | None = None) -> int | None:
    """`parse_id` of the query parameter `name`."""
    return parse_id(_raw(source, name), name=name, default=default)


def page_param(source: Any, name: str = "halaman") -> int:
    """A page number for `Paginator.get_page`, 1..MAX_PAGE (1 when absent)."""
    return parse_int(_raw(source, name), name=name, min=1, max=MAX_PAGE, default=1) or 1


def text_param(source: Any, name: str, *, max_length: int = MAX_TEXT, default: str = "") -> str:
    """`parse_text` of the query parameter `name` (stripped)."""
    return parse_text(_raw(source, name), name=name, max_length=max_length, default=default)


def choice_param(source: Any, name: str, choices: Collection[str], *, default: str = "") -> str:
    """`parse_choice` of the query parameter `name`."""
    return parse_choice(_raw(source, name), name=name, choices=choices, default=default)


def code_param(source: Any, name: str, *, kind: CodeKind | None = None, default: str | None = None) -> str | None:
    """`parse_code` of the query parameter `name`."""
    return parse_code(_raw(source, name), name=name, kind=kind, default=default)


def cursor_param(source: Any, name: str, *, shape: tuple[type, ...]) -> tuple[Any, ...] | None:
    """`parse_cursor` of the query parameter `name`."""
    return parse_cursor(_raw(source, name), name=name, shape=shape)


# ---------------------------------------------------------------- path converters


class IdConverter(django_converters.IntConverter):
    """`<id:pk>`: 1..2^63-1 in ASCII digits; anything else does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValueError(value)
        return number


class YearConverter(django_converters.IntConverter):
    """`<year:year>`: a plan year 2000..2100."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not YEAR_MIN <= number <= YEAR_MAX:
            raise ValueError(value)
        return number


class TokenConverter(django_converters.StringConverter):
    """`<token:code>`: a code or proposal number, 1..40 characters without '/', space or control."""

    regex = "[^/\\x00-\\x20\\x7f]{1,40}"


_REGISTERED = False


def register_converters() -> None:
    """Register `id`, `year` and `token` once (URL modules call it before their patterns)."""
    global _REGISTERED
    if _REGISTERED:
        return
    register_converter(IdConverter, "id")
    register_converter(YearConverter, "year")
    register_converter(TokenConverter, "token")
    _REGISTERED = True
