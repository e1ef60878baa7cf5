"""Display helpers shared by the pages: years never grouped, status colours, Indonesian numbers."""

from __future__ import annotations

from decimal import Decimal

from selaras.web.accounts.templatetags.selaras_ui import format_year, status_css
from selaras.web.plans.templatetags.selaras_format import format_number, format_rupiah


def test_a_year_is_never_printed_with_a_thousands_separator() -> None:
    assert format_year(2027) == "2027"
    assert format_year("2.027") == "2027"
    assert format_year("2,027") == "2027"
    assert format_year(None) == "" and format_year("") == ""
    assert format_year("tahun") == "tahun"


def test_status_classes_differ_for_accepted_and_rejected() -> None:
    assert status_css("accepted") == "status-accepted"
    assert status_css("rejected") == "status-rejected"
    assert status_css("in_review") == "status-in-review"
    assert status_css("<script>") == "status-other" and status_css(None) == "status-other"


def test_indonesian_numbers_and_money() -> None:
    assert format_number(1250000) == "1.250.000"
    assert format_number(Decimal("4.130")) == "4,13"
    assert format_rupiah(1_663_000_000) == "Rp 1.663.000.000"
    assert format_rupiah(-5000) == "-Rp 5.000"


def test_an_address_that_only_repeats_the_village_is_not_written_twice() -> None:
    from types import SimpleNamespace

    from selaras.web.accounts.templatetags.selaras_ui import peran, place

    request = SimpleNamespace(_selaras_region_names={"32.16.01.1007": ("Setia Asih", "kelurahan"),
                                                     "32.16.01": ("Tarumajaya", "kecamatan")})
    context = {"request": request}
    assert str(place(context, "32.16.01.1007", "32.16.01", "Kelurahan Setia Asih")).startswith(
        "Kelurahan Setia Asih, Kecamatan Tarumajaya <span")
    assert str(place(context, "32.16.01.1007", "32.16.01", "Jl. Melati 3")).startswith(
        "Jl. Melati 3, Kelurahan Setia Asih, Kecamatan Tarumajaya")
    assert peran("village_operator") == "Operator Desa/Kelurahan" and peran("Perencana Bappeda") == "Perencana Bappeda"
