from django.urls import URLPattern, URLResolver, path

from selaras.web.params import register_converters
from selaras.web.planning import excel_views, views

register_converters()

app_name = "planning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("catatan/", views.open_notes, name="open_notes"),
    path("bawa-usulan-ditunda/", views.carry_postponed, name="carry"),
    path("catatan/<id:note_id>/jawab/", views.answer_note, name="answer_note"),
    path("catatan/<id:note_id>/selesai/", views.resolve_note, name="resolve_note"),
    path("kode/", views.code_lookup, name="code_lookup"),
    path("sel/<slug:row_kind>/<id:row_id>/<slug:column>/", views.cell, name="cell"),
    path("<slug:kind>/<id:pk>/", views.document, name="document"),
    path("<slug:kind>/<id:pk>/baris/", views.add_line, name="add_line"),
    path("<slug:kind>/<id:pk>/indikator/", views.add_indicator, name="add_indicator"),
    path("<slug:kind>/<id:pk>/butir/", views.add_item, name="add_item"),
    path("<slug:kind>/<id:pk>/butir/<slug:item_kind>/<id:item_id>/hapus/", views.delete_item, name="delete_item"),
    path("<slug:kind>/<id:pk>/baris/<id:line_id>/hapus/", views.delete_line, name="delete_line"),
    path("<slug:kind>/<id:pk>/tahap/", views.stage, name="stage"),
    path("<slug:kind>/<id:pk>/versi/", views.version_list, name="versions"),
    path("<slug:kind>/<id:pk>/banding/", views.compare, name="compare"),
    path("<slug:kind>/<id:pk>/banding.xlsx", views.compare_xlsx, name="compare_xlsx"),
    path("<slug:kind>/<id:pk>/catatan/", views.add_note, name="add_note"),
    path("<slug:kind>/<id:pk>/verifikasi/", views.verification, name="verification"),
    path("<slug:kind>/<id:pk>/unduh.xlsx", excel_views.export, name="export"),
    path("<slug:kind>/<id:pk>/unggah/", excel_views.upload, name="upload"),
]
