"""pabulib `.pb` files: a pure parser and formatter over text, with thin file wrappers.

Format: UTF-8, `;`-separated, three sections (META, PROJECTS, VOTES), each a title line then a
header line. Fields holding `;` are double-quoted. Values are kept as text (nothing is lost on a
round trip); `money()` gives costs and budget as integers on a common scale, because some files
write amounts with decimals ("4000.0", "1310641.1").
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from selaras.domain.errors import InvalidInput

__all__ = [
    "PbElection",
    "PbFormatError",
    "parse_pb",
    "format_pb",
    "read_pb",
    "write_pb",
    "parse_amount",
]

_SECTIONS = ("meta", "projects", "votes")


class PbFormatError(InvalidInput):
    """The text is not a readable pabulib file (bad input; still a ValueError)."""

    code = "invalid_pb_file"


@dataclass(frozen=True)
class PbElection:
    """One pabulib election as text fields, in file order."""

    meta: dict[str, str]
    project_columns: tuple[str, ...]
    projects: tuple[dict[str, str], ...]
    vote_columns: tuple[str, ...]
    votes: tuple[dict[str, str], ...]
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def vote_type(self) -> str:
        """approval, ordinal, cumulative, scoring or choose-1."""
        return self.meta.get("vote_type", "approval").strip()

    @property
    def project_ids(self) -> tuple[str, ...]:
        """Project ids as written in the file (first column of PROJECTS)."""
        key = self.project_columns[0]
        return tuple(row[key] for row in self.projects)

    def ballots(self) -> list[list[str]]:
        """Per voter, the project ids of the `vote` field in order (empty ids dropped)."""
        out = []
        for row in self.votes:
            vote = _value(row, "vote")
            out.append([p.strip() for p in vote.split(",") if p.strip()])
        return out

    def points(self) -> list[list[Fraction]] | None:
        """Per voter, the `points` field (cumulative and scoring ballots), else None."""
        if "points" not in self.vote_columns:
            return None
        return [
            [parse_amount(x) for x in _value(row, "points").split(",") if x.strip()]
            for row in self.votes
        ]

    def money(self) -> tuple[list[int], int, int]:
        """(costs, budget, scale): amounts times `scale`, the smallest power making all integer."""
        amounts = [parse_amount(row["cost"]) for row in self.projects]
        budget = parse_amount(self.meta["budget"])
        scale = 1
        for a in [*amounts, budget]:
            scale = math.lcm(scale, a.denominator)
        return [int(a * scale) for a in amounts], int(budget * scale), scale


def _value(row: dict[str, str], key: str) -> str:
    """A field, with pabulib's "None" read as empty."""
    value = row.get(key, "")
    return "" if value.lower() == "none" else value


def parse_amount(text: str) -> Fraction:
    """A decimal amount as an exact fraction ("4000.0", "1310641,1" and "12" are accepted)."""
    try:
        return Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError) as exc:
        raise PbFormatError(f"bukan angka: {text!r}") from exc


def parse_pb(text: str) -> PbElection:
    """Parse the text of a .pb file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text), delimiter=";")
    meta: dict[str, str] = {}
    headers: dict[str, tuple[str, ...]] = {}
    rows: dict[str, list[dict[str, str]]] = {"projects": [], "votes": []}
    section = ""
    header: tuple[str, ...] = ()
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        head = row[0].strip().lower()
        if head in _SECTIONS and len(row) <= 2 and (len(row) == 1 or not row[1].strip()):
            section = head
            try:
                header = tuple(h.strip() for h in next(reader))
            except StopIteration as exc:
                raise PbFormatError(f"bagian {head} tanpa baris judul") from exc
            headers[section] = header
            continue
        if section == "meta":
            if len(row) < 2:
                raise PbFormatError(f"baris META tidak lengkap: {row}")
            meta[row[0].strip()] = row[1].strip()
        elif section in ("projects", "votes"):
            rows[section].append(
                {header[i]: row[i].strip() for i in range(min(len(header), len(row)))}
            )
        else:
            raise PbFormatError("data sebelum bagian META")
    for needed in _SECTIONS:
        if needed not in headers:
            raise PbFormatError(f"bagian {needed.upper()} tidak ada")
    if "budget" not in meta:
        raise PbFormatError("META tanpa budget")
    pcols = headers["projects"]
    if "cost" not in pcols:
        raise PbFormatError("PROJECTS tanpa kolom cost")
    ids = [r[pcols[0]] for r in rows["projects"]]
    if len(set(ids)) != len(ids):
        raise PbFormatError("id proyek ganda")
    return PbElection(
        meta=meta,
        project_columns=pcols,
        projects=tuple(rows["projects"]),
        vote_columns=headers["votes"],
        votes=tuple(rows["votes"]),
    )


def format_pb(election: PbElection) -> str:
    """The text of a .pb file (sections in pabulib order; quoted where a field needs it)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["META"])
    w.writerow(["key", "value"])
    for k, v in election.meta.items():
        w.writerow([k, v])
    w.writerow(["PROJECTS"])
    w.writerow(election.project_columns)
    for row in election.projects:
        w.writerow([row.get(c, "") for c in election.project_columns])
    w.writerow(["VOTES"])
    w.writerow(election.vote_columns)
    for row in election.votes:
        w.writerow([row.get(c, "") for c in election.vote_columns])
    return buf.getvalue()


def read_pb(path: str | Path) -> PbElection:
    """Read a .pb file (UTF-8, with or without BOM)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PbFormatError(f"berkas bukan teks UTF-8 (bita ke-{exc.start + 1} tidak terbaca)") from exc
    return parse_pb(text)


def write_pb(path: str | Path, election: PbElection) -> None:
    """Write a .pb file (UTF-8)."""
    Path(path).write_text(format_pb(election), encoding="utf-8")
