"""Reference data persisted per edition: region codes and the nomenclature."""

from __future__ import annotations

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

    class Meta:
        verbose_name = "pemetaan kode"
        verbose_name_plural = "pemetaan kode"
        indexes = [models.Index(fields=["kind", "from_edition", "from_code"])]
