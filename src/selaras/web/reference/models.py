"""Reference data persisted per edition: region codes and the nomenclature."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Edition(models.Model):
    """A loaded edition of a reference data set (e.g. Kepmendagri 300.2.2-2430/2025)."""

    KIND_CHOICES = [("region", "Kode wilayah"), ("nomenclature", "Nomenklatur")]

    kind = models.CharField("jenis", max_length=16, choices=KIND_CHOICES)
    key = models.CharField("kunci edisi", max_length=64, unique=True)
    regulation = models.CharField("dasar hukum", max_length=200)
    source = models.TextField("sumber")
    licence = models.CharField("lisensi", max_length=200)
    checksum = models.CharField("checksum data", max_length=64)
    row_count = models.PositiveIntegerField("jumlah baris", default=0)
    loaded_at = models.DateTimeField("dimuat", auto_now=True)
    valid_from = models.PositiveSmallIntegerField("berlaku mulai tahun", null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField("berlaku sampai tahun", null=True, blank=True)
    replaces = models.CharField("menggantikan edisi", max_length=64, blank=True)
    origin = models.CharField("asal", max_length=16, default="packaged")  # packaged | imported
    file_name = models.CharField("nama berkas", max_length=200, blank=True)

    class Meta:
        verbose_name = "edisi referensi"
        verbose_name_plural = "edisi referensi"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.regulation}"


class Region(models.Model):
    """Wilayah: a province, regency/city, kecamatan or village, in one edition."""

    LEVEL_CHOICES = [(1, "Provinsi"), (2, "Kabupaten/Kota"), (3, "Kecamatan"), (4, "Desa/Kelurahan")]

    edition = models.CharField("edisi", max_length=64)
    code = models.CharField("kode", max_length=13)
    name = models.CharField("nama", max_length=200)
    level = models.PositiveSmallIntegerField("tingkat", choices=LEVEL_CHOICES)
    parent_code = models.CharField("kode induk", max_length=13, blank=True)
    kind = models.CharField("jenis", max_length=16, blank=True)  # kabupaten/kota, desa/kelurahan
    population = models.BigIntegerField("jumlah penduduk", null=True, blank=True)
    # True where the population is a demo's synthetic figure (`web.demo.population`), not an
    # official one: every page that shows it says so.
    population_synthetic = models.BooleanField("jumlah penduduk contoh (sintetis)", default=False)
    area_km2 = models.DecimalField("luas (km²)", max_digits=14, decimal_places=3, null=True, blank=True)
    # Regions inside this one, counted at load time so that the tree pages need no scans.
    regency_count = models.PositiveIntegerField("jumlah kabupaten/kota", default=0)
    district_count = models.PositiveIntegerField("jumlah kecamatan", default=0)
    village_count = models.PositiveIntegerField("jumlah desa/kelurahan", default=0)

    class Meta:
        verbose_name = "wilayah"
        verbose_name_plural = "wilayah"
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="uniq_region_code")]
        # (edition, parent_code, code) serves the tree: children in code order without a sort.
        indexes = [models.Index(fields=["edition", "parent_code", "code"], name="region_children_idx"),
                   models.Index(fields=["edition", "level", "code"], name="region_level_idx")]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class NomenclatureItem(models.Model):
    """One row of the nomenclature: affair, sector, program, activity or sub-activity."""

    LEVEL_CHOICES = [("affair", "Urusan"), ("sector", "Bidang Urusan"), ("program", "Program"),
                     ("activity", "Kegiatan"), ("sub_activity", "Sub Kegiatan")]

    edition = models.CharField("edisi", max_length=64)
    code = models.CharField("kode", max_length=24)
    name = models.TextField("nama")
    level = models.CharField("tingkat", max_length=16, choices=LEVEL_CHOICES)
    parent_code = models.CharField("kode induk", max_length=24, blank=True)
    government_level = models.CharField("tingkat pemerintahan", max_length=16, blank=True)  # provinsi | kab/kota
    active = models.BooleanField("aktif", default=True)
    regulation_ref = models.CharField("dasar baris", max_length=16, blank=True)
    performance = models.TextField("kinerja", blank=True)
    indicator = models.TextField("indikator", blank=True)
    unit = models.CharField("satuan", max_length=100, blank=True)
    previous_code = models.CharField("kode sebelumnya", max_length=24, blank=True)
    previous_name = models.TextField("nama sebelumnya", blank=True)
    spm = models.CharField("SPM", max_length=16, blank=True)
    service_type = models.CharField("jenis", max_length=32, blank=True)
    tags = models.CharField("tag", max_length=200, blank=True)
    implementer = models.TextField("pelaksana", blank=True)
    definition = models.TextField("definisi operasional", blank=True)

    class Meta:
        verbose_name = "nomenklatur"
        verbose_name_plural = "nomenklatur"
        constraints = [models.UniqueConstraint(fields=["edition", "code", "government_level"],
                                               name="uniq_nomenclature_code")]
        indexes = [models.Index(fields=["edition", "level", "code"], name="nomenclature_level_idx"),
                   models.Index(fields=["edition", "parent_code", "code"], name="nomenclature_children_idx")]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CodeMapping(models.Model):
    """Maps a code of one edition to its successor in a later edition."""

    kind = models.CharField("jenis", max_length=16, choices=Edition.KIND_CHOICES)
    from_edition = models.CharField("edisi asal", max_length=64)
    from_code = models.CharField("kode asal", max_length=24)
    to_edition = models.CharField("edisi tujuan", max_length=64)
    to_code = models.CharField("kode tujuan", max_length=24, blank=True)  # blank: removed
    note = models.CharField("keterangan", max_length=200, blank=True)
    CHANGE_CHOICES = [("unchanged", "Tetap"), ("renamed", "Ganti nama"), ("moved", "Pindah kode"),
                      ("split", "Dipecah"), ("merged", "Digabung"), ("removed", "Dihapus")]
    STATUS_CHOICES = [("official", "Resmi"), ("auto", "Otomatis"), ("review", "Perlu diperiksa"),
                      ("confirmed", "Dikonfirmasi"), ("rejected", "Ditolak"), ("manual", "Manual")]
    change = models.CharField("jenis perubahan", max_length=16, choices=CHANGE_CHOICES, default="moved")
    confidence = models.FloatField("keyakinan", default=1.0)
    status = models.CharField("status", max_length=16, choices=STATUS_CHOICES, default="manual")
    reason = models.CharField("dasar", max_length=32, blank=True)
    from_name = models.TextField("nama asal", blank=True)
    to_name = models.TextField("nama tujuan", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="diperiksa oleh")
    reviewed_at = models.DateTimeField("diperiksa pada", null=True, blank=True)

    ACCEPTED = ("official", "auto", "confirmed", "manual")

    class Meta:
        verbose_name = "pemetaan kode"
        verbose_name_plural = "pemetaan kode"
        indexes = [models.Index(fields=["kind", "from_edition", "from_code"]),
                   models.Index(fields=["from_edition", "to_edition", "status"], name="mapping_status_idx")]


class EditionMove(models.Model):
    """Audit of moving one government's plans and proposals from one edition to the next.

    `government_id` is kept as a number (the reference app sits below plans); `changes` lists,
    per table and field, each old code, its new code and the ids of the rows changed."""

    government_id = models.PositiveIntegerField("pemerintah daerah (id)")
    government_name = models.CharField("pemerintah daerah", max_length=200)
    kind = models.CharField("jenis", max_length=16, choices=Edition.KIND_CHOICES)
    from_edition = models.CharField("edisi asal", max_length=64)
    to_edition = models.CharField("edisi tujuan", max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name="oleh")
    applied_at = models.DateTimeField("diterapkan", auto_now_add=True)
    summary = models.JSONField("ringkasan", default=dict)
    changes = models.JSONField("perubahan", default=list)

    class Meta:
        verbose_name = "pemindahan edisi"
        verbose_name_plural = "pemindahan edisi"
        ordering = ["-applied_at"]
