"""Limits on uploaded tables, checked BEFORE a workbook is handed to the reader.

The spreadsheet reader (calamine) builds a dense grid from the first to the last cell it finds,
whatever the sheet says about its own size: a 1.6 KB .xlsx with one cell at A1 and one at
XFD1048576 asks for half a terabyte and the process aborts (it cannot be caught). So the sheet
XML is streamed out of the zip here first, with the zip's own sizes checked (total, per member,
ratio), every cell position is looked at without keeping any of them, and a sheet larger than
the limits is refused with `WorkbookRefused` (a stable code and its parameters; the Bahasa
Indonesia text is produced at the edge). Nothing here allocates more than one chunk of XML.

.xlsx/.xlsm and .ods are scanned exactly; legacy .xls (BIFF) cannot exceed 65,536 x 256 cells by
its format, and its grid size is checked from the reader's range before any value is converted.
"""

from __future__ import annotations

import copy
import io
import re
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineError

__all__ = ["ReadLimits", "DEFAULT_LIMITS", "LIMIT_CODES", "RESAVE", "BROKEN_WORKBOOK", "NOT_A_WORKBOOK", "READ_ERRORS",
           "UNREADABLE_ERRORS",
           "iter_limited_lines", "WorkbookRefused", "check_workbook", "check_grid", "column_number"]


@dataclass(frozen=True)
class ReadLimits:
    """How large an uploaded table may be. `max_rows` counts data rows (the header is extra)."""

    max_rows: int = 200_000
    max_columns: int = 100
    max_cells: int = 5_000_000  # rows x columns of the grid the reader builds (dense)
    max_uncompressed: int = 512 * 1024 * 1024  # all members of the zip together, in bytes
    max_ratio: int = 200  # uncompressed / compressed, per member larger than `_RATIO_FROM`
    max_members: int = 1_000
    max_line_chars: int = 100_000  # one physical line of a CSV file


DEFAULT_LIMITS = ReadLimits()

_RATIO_FROM = 1024 * 1024  # small members (styles, a tiny sheet) may compress very well
_CHUNK = 1024 * 1024
_EXCEL_ROWS, _EXCEL_COLUMNS = 1_048_576, 16_384


#: What to do with a workbook that cannot be read, whatever is wrong with it: written once, ending
#: every detail below, for every importer (proposals, plans, realisation, targets).
RESAVE = "simpan ulang dari Excel atau LibreOffice sebagai .xlsx, lalu unggah lagi"

#: The `detail` of every "table.zip_invalid" (a truncated or broken zip, broken sheet XML, a size
#: that lies, an encrypted or unusual member), said to whoever uploaded it: what to do, in Bahasa
#: Indonesia. The zip and XML libraries' own texts ('File is not a zip file', 'unclosed token:
#: line 1, column 0') are English and name no remedy; they stay in the exception's cause, never in
#: a message.
BROKEN_WORKBOOK = f"isinya terpotong atau rusak; {RESAVE}"

#: The `detail` of "table.unreadable" when the reader finds no workbook at all (a text or PDF
#: renamed .xlsx, a zip that is not one); the reader's own text ('Cannot detect file format') is
#: never shown.
NOT_A_WORKBOOK = f"isinya bukan buku kerja Excel; {RESAVE}"

#: What the zip and XML readers raise for a damaged file (an encrypted member: RuntimeError). An
#: importer catches these (and its reader's own error), never every Exception: a bug of its own
#: must not read as 'the file is damaged'.
READ_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError,
    xml.parsers.expat.ExpatError)

#: What reading a file that is not a workbook raises (calamine's error and the above): each
#: importer turns exactly these into "table.unreadable" with `NOT_A_WORKBOOK`.
UNREADABLE_ERRORS: tuple[type[Exception], ...] = (CalamineError, *READ_ERRORS)


def _broken() -> WorkbookRefused:
    return WorkbookRefused("table.zip_invalid", detail=BROKEN_WORKBOOK)


class WorkbookRefused(ValueError):
    """The file is larger than the limits (or not a sound zip); `reason` says which, `params` how.

    Internal to the readers: they turn it into a finding (`TableError` or a finding list).
    """

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def column_number(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ord(ch) - 64)
    return number


def check_grid(rows: int, columns: int, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse a sheet of `rows` x `columns` (header row included) that exceeds the limits."""
    if rows > limits.max_rows + 1:
        raise WorkbookRefused("table.too_many_rows", rows=max(rows - 1, 0), limit=limits.max_rows)
    if columns > limits.max_columns:
        raise WorkbookRefused("table.too_many_columns", columns=columns, limit=limits.max_columns)
    if rows * columns > limits.max_cells:
        raise WorkbookRefused("table.too_many_cells", cells=rows * columns, limit=limits.max_cells)


def check_workbook(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """Check a workbook's bytes before reading it; returns its kind ("xlsx", "ods", "xls", "other").

    Raises `WorkbookRefused` when a sheet, the zip or a member is too large.
    """
    if data[:4] == b"PK\x03\x04":
        return _check_zip(data, limits)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    return "other"


# ---------------------------------------------------------------------------------- zip


def _check_zip(data: bytes, limits: ReadLimits) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except READ_ERRORS as exc:
        raise _broken() from exc
    if len(members) > limits.max_members:
        raise WorkbookRefused("table.zip_too_large", size_mb=0, limit_mb=_mb(limits.max_uncompressed))
    total = 0
    for info in members:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _broken()  # a compression method the readers do not have
        total += info.file_size
        _check_ratio(info, info.file_size, limits)
    if total > limits.max_uncompressed:
        raise WorkbookRefused("table.zip_too_large", size_mb=_mb(total), limit_mb=_mb(limits.max_uncompressed))
    names = {info.filename for info in members}
    if "content.xml" in names:  # OpenDocument spreadsheet
        _scan_member(archive, archive.getinfo("content.xml"), _OdsScanner(limits), limits)
        return "ods"
    sheets = [info for info in members
              if info.filename.startswith("xl/worksheets/") and not info.is_dir()]
    if any(info.filename.endswith(".bin") for info in sheets):
        raise WorkbookRefused("table.format_binary")
    # every member the reader may inflate is streamed, so a size that lies is found out too
    for info in members:
        if info in sheets and info.filename.endswith(".xml"):
            _scan_member(archive, info, _XlsxScanner(limits), limits)
        elif info.filename.endswith((".xml", ".rels")):
            _scan_member(archive, info, None, limits)
    return "xlsx"


def _mb(size: int) -> int:
    return max(1, -(-size // (1024 * 1024)))


def _check_ratio(info: zipfile.ZipInfo, size: int, limits: ReadLimits) -> None:
    if size > _RATIO_FROM and size > limits.max_ratio * max(info.compress_size, 1):
        raise WorkbookRefused("table.zip_ratio", name=info.filename, ratio=size // max(info.compress_size, 1),
                              limit=limits.max_ratio)


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scanner: _Scanner | None,
                 limits: ReadLimits) -> None:
    """Inflate one member chunk by chunk, counting what it really holds (not what it declares)."""
    declared = info.file_size
    honest = copy.copy(info)
    honest.file_size = limits.max_uncompressed + 1  # read up to the limit, not to the declared size
    size = 0
    try:
        with archive.open(honest) as stream:
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                size += len(chunk)
                if size > limits.max_uncompressed:
                    raise WorkbookRefused("table.zip_too_large", size_mb=_mb(size),
                                          limit_mb=_mb(limits.max_uncompressed))
                _check_ratio(info, size, limits)
                if scanner is not None:
                    scanner.feed(chunk)
    except WorkbookRefused:
        raise
    except READ_ERRORS as exc:  # also a CRC that fails because the member is longer or shorter than it says
        raise _broken() from exc
    if size != declared:
        raise _broken()
    if scanner is not None:
        scanner.finish()


# ---------------------------------------------------------------------------------- sheet XML


class _Scanner:
    """A strict streaming XML parser (expat) fed chunk by chunk; subclasses look at start tags.

    Strict on purpose: whatever expat accepts as well-formed, the reader sees the same elements;
    anything else (a document type declaration, broken markup) is refused.
    """

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.max_row = 0
        self.max_col = 0
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.buffer_text = False
        self.parser.StartElementHandler = self.start
        self.parser.StartDoctypeDeclHandler = self._doctype

    def _doctype(self, *args: Any) -> None:
        raise _broken()  # a document type declaration: never in a workbook the offices write

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except xml.parsers.expat.ExpatError as exc:
            raise _broken() from exc

    def start(self, name: str, attrs: dict[str, str]) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def grow(self, row: int, col: int) -> None:
        if row > self.max_row or col > self.max_col:
            self.max_row = max(self.max_row, row)
            self.max_col = max(self.max_col, col)
            check_grid(self.max_row, self.max_col, self.limits)

    def finish(self) -> None:
        self.feed(b"", True)
        check_grid(self.max_row, self.max_col, self.limits)


_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _XlsxScanner(_Scanner):
    """<row r="N"> and <c r="A1"> (either may lack `r`: then it follows the previous one).

    Called for every element of the sheet, so kept lean: attributes as a flat list, column
    letters converted once.
    """

    def __init__(self, limits: ReadLimits) -> None:
        super().__init__(limits)
        self.parser.ordered_attributes = True
        self.row = 0
        self.col = 0
        self.columns: dict[str, int] = {}

    def start(self, name: str, attrs: list[str]) -> None:  # type: ignore[override]
        if name == "c" or name.endswith(":c"):
            ref = _attr_r(attrs)
            if ref is None:
                self.col += 1
                if self.col > self.max_col:
                    self.grow(self.row, self.col)
                return
            letters = ref.rstrip("0123456789")
            col = self.columns.get(letters)
            if col is None:
                cell = _CELL_REF.match(ref.strip())
                if cell is None:
                    raise _broken()  # a cell address no writer makes
                col = self.columns[letters] = column_number(cell.group(1))
            digits = ref[len(letters):]
            if not (digits.isascii() and digits.isdigit() and len(digits) <= 7):
                raise _broken()  # a cell address no writer makes
            self.col = col
            row = int(digits)
            if row > self.max_row or col > self.max_col:
                self.grow(max(row, self.row), col)
        elif name == "row" or name.endswith(":row"):
            ref = _attr_r(attrs)
            self.row = int(ref) if ref is not None and ref.isascii() and ref.isdigit() else self.row + 1
            self.col = 0
            if self.row > self.max_row:
                self.grow(self.row, 0)


def _attr_r(attrs: list[str]) -> str | None:
    """The `r` attribute of a flat [name, value, ...] list (first, in every writer seen)."""
    if attrs and attrs[0] == "r":
        return attrs[1]
    for index in range(2, len(attrs), 2):
        if attrs[index] == "r":
            return attrs[index + 1]
    return None


class _OdsScanner(_Scanner):
    """OpenDocument: rows and cells may repeat; only repeats followed by content make the grid grow."""

    def __init__(self, limits: ReadLimits) -> None:
        super().__init__(limits)
        self.row = 0  # rows before the current one
        self.col = 0  # cells before the current one in the row
        self.repeat_row = 1
        self.cell: tuple[int, int] | None = None  # (first column, repeat) of the open cell
        self.parser.EndElementHandler = self.end

    @staticmethod
    def _repeat(attrs: dict[str, str], key: str) -> int:
        value = next((v for k, v in attrs.items() if _local(k) == key), "1")
        return int(value) if value.isascii() and value.isdigit() else 1

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "table":
            self.row = 0
        elif local == "table-row":
            self.repeat_row = self._repeat(attrs, "number-rows-repeated")
            self.col = 0
        elif local in ("table-cell", "covered-table-cell"):
            repeat = self._repeat(attrs, "number-columns-repeated")
            first = self.col
            self.col += repeat
            self.cell = (first, repeat)
            if any(_local(k) == "value-type" for k in attrs):
                self._content()
        elif local == "p":
            self._content()

    def end(self, name: str) -> None:
        local = _local(name)
        if local == "table-row":
            self.row += self.repeat_row
        elif local in ("table-cell", "covered-table-cell"):
            self.cell = None

    def _content(self) -> None:
        if self.cell is not None:
            first, repeat = self.cell
            self.grow(self.row + self.repeat_row, first + repeat)


def iter_limited_lines(text: str, limits: ReadLimits) -> Iterator[str]:
    """The lines of a CSV text, refusing one longer than the limit (for `csv.reader`)."""
    for line in io.StringIO(text, newline=""):
        if len(line) > limits.max_line_chars:
            raise WorkbookRefused("table.line_too_long", limit=limits.max_line_chars)
        yield line


#: Every code `WorkbookRefused` can carry (their Bahasa Indonesia texts are in the web's catalogue).
LIMIT_CODES = ("table.too_many_rows", "table.too_many_columns", "table.too_many_cells", "table.zip_invalid",
               "table.zip_too_large", "table.zip_ratio", "table.format_binary", "table.line_too_long")
