from __future__ import annotations

from fractions import Fraction

import pytest

from selaras.formats.pabulib import PbFormatError, format_pb, parse_pb

TEXT = """META
key;value
description;"Uji; dengan titik koma"
num_projects;3
num_votes;3
budget;100.5
vote_type;ordinal
PROJECTS
project_id;cost;name
1;40.25;Jalan desa
2;30;"Drainase; tahap 2"
10;None;Posyandu
VOTES
voter_id;vote;age
a;2,1;30
b;;None
c;10,2,2;41
"""


def test_parse_keeps_text_and_order() -> None:
    e = parse_pb(TEXT.replace("10;None;", "10;20;"))
    assert e.meta["description"] == "Uji; dengan titik koma"
    assert e.project_ids == ("1", "2", "10")
    assert e.projects[1]["name"] == "Drainase; tahap 2"
    assert e.ballots() == [["2", "1"], [], ["10", "2", "2"]]
    assert e.vote_type == "ordinal"
    costs, budget, scale = e.money()
    assert scale == 4 and budget == 402 and costs == [161, 120, 80]


def test_round_trip() -> None:
    e = parse_pb(TEXT.replace("10;None;", "10;20;"))
    again = parse_pb(format_pb(e))
    assert again == e


def test_bom_and_errors() -> None:
    assert parse_pb("\ufeff" + TEXT.replace("10;None;", "10;20;")).meta["budget"] == "100.5"
    with pytest.raises(PbFormatError):
        parse_pb(TEXT).money()  # "None" is not a cost
    with pytest.raises(PbFormatError):
        parse_pb("META\nkey;value\nbudget;1\n")
    with pytest.raises(PbFormatError):
        parse_pb(TEXT.replace("10;None;", "1;5;"))  # duplicate id


def test_points() -> None:
    text = TEXT.replace("voter_id;vote;age", "voter_id;vote;points").replace(
        "a;2,1;30", "a;2,1;3,1.5"
    )
    pts = parse_pb(text.replace("10;None;", "10;20;")).points()
    assert pts is not None and pts[0] == [Fraction(3), Fraction(3, 2)]


def test_a_file_that_is_not_utf8_is_refused_in_plain_words(tmp_path) -> None:  # noqa: ANN001
    from selaras.formats.pabulib import read_pb

    path = tmp_path / "rusak.pb"
    path.write_bytes(b"META\nkey;value\n\xed\xa0budget;1\n")
    with pytest.raises(PbFormatError, match="bukan teks UTF-8"):
        read_pb(path)
