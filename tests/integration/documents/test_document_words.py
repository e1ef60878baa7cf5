"""The printed words of the plan and evaluation tables (pdftotext -bbox): no word breaks inside its
table cell (the PDF's columns are at least as wide as their longest word), and the plan tables name
the stage of the plan they were printed from."""

from __future__ import annotations

import html
import re

from django.utils import timezone

from selaras.formats.documents.html import render_html
from selaras.formats.documents.model import Document
from selaras.formats.documents.numbers import long_date
from selaras.formats.documents.pdf import write_pdf
from selaras.web.documents.builders import plans
from selaras.web.documents.builders.rpjmd import build_tc14
from selaras.web.documents.catalogue import KINDS
from selaras.web.planning.documents import of as plan_document
from selaras.web.planning.models import StageMove
from selaras.web.planning.versions import store_version
from selaras.web.plans.models import AgencyAnnualPlan, AnnualPlan, MediumTermPlan, Renstra
from tests.integration.documents.helpers import pdf_text, pdf_words
from tests.integration.documents.test_every_document import DAY, _scope, _year, setting  # noqa: F401

#: where a line may break inside a run of non-spaces: after a slash, a dash or a code's dot
_BREAK = re.compile(r"(?<=[/\-–\u200b])")


def _printable_words(document: Document) -> set[str]:
    """Every word the PDF may show: the whole words of the document's HTML (and of the page
    margins), and the pieces a word may break into at a slash, a dash or a code's dot."""
    body = re.sub(r"<style>.*?</style>", " ", render_html(document), flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    text += f" {document.code} {document.government_name} Halaman dari"
    found: set[str] = set()
    for word in text.split():
        pieces = [p for p in _BREAK.split(word) if p]
        for i in range(len(pieces)):
            found.update("".join(pieces[i:j]).replace("\u200b", "") for j in range(i + 1, len(pieces) + 1))
    return found


def _broken_words(document: Document) -> list[str]:
    allowed = _printable_words(document)
    return [word for word, *_ in pdf_words(write_pdf(document))
            if word.replace("\u200b", "") not in allowed and not word.isdigit()]


def test_tc14_and_e80_keep_every_word_whole(setting) -> None:  # noqa: ANN001, F811 - the fixture imported above
    government = setting["government"]
    for key, headers in (("tc14", {"Kode", "Pembangunan", "Indikator", "Kondisi"}),
                         ("e80", {"No", "Satuan", "Kondisi", "Realisasi", "Kegiatan"})):
        document = KINDS[key].build(government, _year(setting, key), _scope(setting, key), None, DAY)
        assert _broken_words(document) == [], key
        printed = {word for word, *_ in pdf_words(write_pdf(document))}
        assert headers <= printed, (key, headers - printed)
    assert "PEMBANGUNAN" in pdf_text(write_pdf(build_tc14(government, setting["years"]["tc14"], day=DAY)))


def test_the_other_tables_keep_every_word_whole(setting) -> None:  # noqa: ANN001, F811 - the fixture imported above
    government = setting["government"]
    for key in ("tc27", "tc33", "rkpd", "e81", "e79", "e78", "td4"):
        document = KINDS[key].build(government, _year(setting, key), _scope(setting, key), None, DAY)
        assert _broken_words(document) == [], key


def test_plan_tables_name_the_stage_of_the_plan(setting) -> None:  # noqa: ANN001, F811 - the fixture imported above
    government, agency = setting["government"], setting["agency"]
    year = setting["years"]["tc33"]
    renja = AgencyAnnualPlan.objects.get(rkpd__government=government, rkpd__year=year, agency=agency)
    renstra = Renstra.objects.filter(agency=agency).order_by("-start_year").first()
    rkpd = AnnualPlan.objects.get(government=government, year=year)
    rpjmd = MediumTermPlan.objects.filter(government=government, start_year__lte=year,
                                          end_year__gte=year).order_by("-start_year").first()
    assert renstra is not None and rpjmd is not None
    # a draft is printed as it stands today, with its stage
    draft = plans.build_tc33(government, year, agency, day=DAY)
    stage = plan_document(renja).stage_label
    assert f"Tahap {stage} · keadaan saat ini" in draft.subtitle
    # issued plans: the stage, and the day of the move when recorded
    for plan in (renja, renstra, rkpd, rpjmd):
        type(plan).objects.filter(pk=plan.pk).update(stage="penetapan")
    renja.refresh_from_db()
    version = store_version(None, plan_document(renja), "penetapan")
    StageMove.objects.create(government=government, kind="renja", document_id=renja.pk, agency=agency,
                             from_stage="rancangan_akhir", to_stage="penetapan", version=version)
    today = long_date(timezone.localdate())
    documents = {"tc33": plans.build_tc33(government, year, agency, day=DAY),
                 "tc27": plans.build_tc27(government, renstra.start_year, agency, day=DAY),
                 "rkpd": plans.build_rkpd(government, year, day=DAY),
                 "tc14": build_tc14(government, year, day=DAY)}
    for key, document in documents.items():
        assert "Tahap Penetapan" in document.subtitle, key
        assert "saat ini" not in document.subtitle.lower(), key
        assert "Tahap Penetapan" in " ".join(pdf_text(write_pdf(document)).split()), key
    assert documents["tc33"].subtitle == f"{agency.name} · Tahap Penetapan ({today})"
