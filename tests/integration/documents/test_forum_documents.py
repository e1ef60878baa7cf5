"""T-D.4 and the berita acara of the forums, from the demo district: Excel read back, PDF text."""

from __future__ import annotations

import datetime as dt

import pytest

from selaras.domain.proposals import Outcome, Stage
from selaras.formats.documents.model import Format
from selaras.formats.documents.numbers import format_value
from selaras.formats.documents.pdf import write_pdf
from selaras.formats.documents.xlsx import write_xlsx
from selaras.web.documents.builders import district as builders
from selaras.web.documents.builders.forum_lists import agreed_items
from selaras.web.documents.models import Attendee, Meeting, Signatory
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.models import Decision, Proposal
from tests.integration.documents.helpers import find_row, number_row, pdf_text, workbook

DAY = dt.date(2025, 2, 14)


def _busiest_district(government: LocalGovernment) -> tuple[str, int]:
    counts: dict[tuple[str, int], int] = {}
    for d in Decision.objects.filter(proposal__government=government, stage=Stage.DISTRICT.value,
                                     outcome=Outcome.FORWARDED.value).select_related("proposal"):
        key = (d.proposal.district_code, d.proposal.year)
        counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda k: counts[k])


@pytest.fixture
def setting(demo_district):  # noqa: ANN001, ANN201
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    district_code, year = _busiest_district(government)
    return government, district_code, year


def test_td4_lists_what_the_musrenbang_forwarded_with_totals(setting) -> None:  # noqa: ANN001
    government, district_code, year = setting
    items = agreed_items(government, year, Stage.DISTRICT, district_code=district_code)
    forwarded = {p for p in Proposal.objects.filter(government=government, year=year, district_code=district_code)
                 if (lambda ds: ds and ds[-1].outcome in ("forwarded", "accepted", "accepted_with_changes"))(
                     list(p.decisions.filter(stage="district").order_by("created_at", "id")))}
    assert {i.number for i in items} == {p.number for p in forwarded}
    assert items
    total = sum(i.cost for i in items)

    document = builders.build_td4(government, year, district_code, day=DAY)
    book = workbook(write_xlsx(document).getvalue())
    sheet = book.worksheets[0]
    numbers = number_row(sheet)
    assert [sheet.cell(numbers, c).value for c in range(1, 12)] == [f"({i})" for i in range(1, 12)]
    # merged "Volume" header over Jumlah and Satuan; single headers span both header rows
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert any(r.startswith("H") and ":I" in r for r in merged)
    assert sheet.cell(numbers - 2, 8).value == "Volume"
    assert sheet.cell(numbers - 1, 8).value == "Jumlah"
    assert sheet.freeze_panes == f"A{numbers + 1}"
    assert sheet.print_title_rows.endswith(f"${numbers}")
    total_row = find_row(sheet, "JUMLAH")
    assert total_row[9] == total
    assert sheet.cell(numbers + 1, 10).number_format == "#,##0"
    assert sheet.page_setup.orientation == "landscape"

    text = pdf_text(write_pdf(document))
    assert "T-D.4" in text and "JUMLAH" in text
    assert format_value(total, Format.MONEY) in text
    assert "Halaman 1 dari" in text
    assert "NIP." in text


def test_minutes_of_the_musrenbang_carry_the_attendance_and_the_chair(setting) -> None:  # noqa: ANN001
    government, district_code, year = setting
    meeting = Meeting.objects.create(government=government, forum="musrenbang_district", year=year,
                                     district_code=district_code, place="Aula Kantor Kecamatan",
                                     held_on=dt.date(2025, 2, 12), chair_name="Drs. Ahmad Fauzi",
                                     chair_position="Camat", chair_nip="197503121998031004")
    Attendee.objects.create(meeting=meeting, order=1, name="Siti Rahmawati", position="Kepala Desa",
                            institution="Pemerintah Desa", role="participant")
    Attendee.objects.create(meeting=meeting, order=2, name="Budi Santoso", position="Sekretaris Kecamatan",
                            institution="Kecamatan", role="secretary")
    document = builders.build_district_minutes(government, year, district_code, day=DAY)
    book = workbook(write_xlsx(document).getvalue())
    assert [s.title for s in book.worksheets] == ["Dokumen", "Daftar Hadir"]
    attendance = book["Daftar Hadir"]
    assert find_row(attendance, "JUMLAH")[1] == "2 orang hadir"
    text = pdf_text(write_pdf(document))
    assert "BERITA ACARA MUSRENBANG KECAMATAN" in text
    assert "Rabu tanggal 12 Februari 2025" in text
    assert "Siti Rahmawati" in text and "Drs. Ahmad Fauzi" in text and "NIP. 197503121998031004" in text
    items = agreed_items(government, year, Stage.DISTRICT, district_code=district_code)
    assert format_value(sum(i.cost for i in items), Format.MONEY) in text


def test_forum_minutes_of_an_agency_and_its_signatory(demo_district) -> None:  # noqa: ANN001
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    accepted = (Decision.objects.filter(proposal__government=government, stage=Stage.AGENCY_FORUM.value,
                                        outcome__in=["accepted", "accepted_with_changes"])
                .select_related("proposal__agency").first())
    assert accepted is not None
    agency: Agency = accepted.proposal.agency
    Signatory.objects.create(government=government, agency=agency, position=f"Kepala {agency.name}",
                             name="Ir. Wahyu Hidayat, M.T.", nip="196812311994031022")
    year = accepted.proposal.year
    document = builders.build_forum_minutes(government, year, agency, day=DAY)
    items = agreed_items(government, year, Stage.AGENCY_FORUM, agency=agency)
    assert accepted.proposal.number in {i.number for i in items}
    changed = [i for i in items if i.outcome == "Diterima dengan perubahan"]
    assert changed
    for item in changed:  # the agreed volume and cost: the decision's (the proposal's own became them)
        decision = Decision.objects.get(proposal__number=item.number, stage=Stage.AGENCY_FORUM.value)
        assert decision.new_cost is not None or decision.new_volume is not None
        assert item.cost == (decision.new_cost if decision.new_cost is not None else decision.proposal.estimated_cost)
        assert item.volume == (decision.new_volume if decision.new_volume is not None else decision.proposal.volume)
    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    assert find_row(sheet, "JUMLAH")[8] == sum(i.cost for i in items)
    text = pdf_text(write_pdf(document))
    assert "BERITA ACARA FORUM PERANGKAT DAERAH" in text
    # no meeting recorded: the agency head signs as chair; the attendance is a blank list to fill in
    assert "Ir. Wahyu Hidayat, M.T." in text and "NIP. 196812311994031022" in text
    assert "14 Februari 2025" in text


def _page_width(data: bytes) -> float:
    import re
    import subprocess

    done = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True)
    found = re.search(r'<page width="([\d.]+)"', done.stdout.decode("utf-8"))
    assert found is not None
    return float(found.group(1))


def test_long_place_and_chair_wrap_inside_the_page(setting) -> None:  # noqa: ANN001
    """The longest place and chair name the form allows, each one long word (an address or a name
    typed without spaces), wrap inside the page of the berita acara: every word of the PDF ends
    before the right margin, and the text is all there."""
    from selaras.web.documents.meetings import save_meeting
    from selaras.web.documents.models import MEETING_LIMITS
    from tests.integration.documents.helpers import pdf_words

    government, district_code, year = setting
    place = ("GedungSerbagunaKecamatan" * 10)[: MEETING_LIMITS["place"]]
    chair = ("Drs.H.AhmadFauziSuryadiningrat" * 5)[: MEETING_LIMITS["chair_name"]]
    save_meeting(government, "musrenbang_district", year, district_code,
                 {"place": place, "held_on": dt.date(2025, 2, 12), "chair_name": chair, "chair_position": "Camat",
                  "chair_nip": "197503121998031004", "attendees": []})
    data = write_pdf(builders.build_district_minutes(government, year, district_code, day=DAY))
    width = _page_width(data)
    outside = [(text[:30], x1) for text, _x0, x1, _y in pdf_words(data) if x1 > width - 5]
    assert outside == []
    joined = "".join(pdf_text(data).split())
    assert place in joined and chair in joined


def test_the_service_refuses_texts_longer_than_the_minutes_print(setting) -> None:  # noqa: ANN001
    from selaras.domain.errors import InvalidInput
    from selaras.web.documents.meetings import save_meeting

    government, district_code, year = setting
    for data in ({"place": "A" * 3000}, {"chair_name": "B" * 2000}, {"chair_position": "C" * 151},
                 {"attendees": [{"name": "D" * 101, "position": "", "institution": "", "role": "participant"}]}):
        with pytest.raises(InvalidInput) as refused:
            save_meeting(government, "musrenbang_district", year, district_code, data)
        assert "paling banyak" in refused.value.message
    assert not Meeting.objects.exists() and not Attendee.objects.exists()
    # the admin's form goes through the model's check
    meeting = Meeting(government=government, forum="musrenbang_district", year=year, district_code=district_code,
                      place="A" * 151)
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError) as invalid:
        meeting.full_clean()
    assert "Tempat paling banyak 150 karakter" in str(invalid.value)
