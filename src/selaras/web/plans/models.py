"""Persistence of the plan cascade: governments, agencies, RPJPD, RPJMD, Renstra, RKPD, Renja.

Codes (region, nomenclature) are stored as text with the edition they belong to, never as
foreign keys into reference tables, so plans survive a new edition of the reference data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from simple_history.models import HistoricalRecords

from selaras.domain.plans import PLAN_STAGE_LABELS, Direction, GovernmentLevel, LineLevel

if TYPE_CHECKING:
    from selaras.web.plans.selectors import IndicatorRow

REGION_EDITION_DEFAULT = "kepmendagri-300.2.2-2430-2025"
NOMENCLATURE_EDITION_DEFAULT = "kepmendagri-050-3708-2020"

LEVEL_CHOICES = [
    (GovernmentLevel.PROVINCE.value, "Provinsi"),
    (GovernmentLevel.REGENCY.value, "Kabupaten"),
    (GovernmentLevel.CITY.value, "Kota"),
]
STAGE_CHOICES = [(s.value, label) for s, label in PLAN_STAGE_LABELS.items()]
LINE_LEVEL_CHOICES = [
    (LineLevel.PROGRAM.value, "Program"),
    (LineLevel.ACTIVITY.value, "Kegiatan"),
    (LineLevel.SUB_ACTIVITY.value, "Sub Kegiatan"),
]
DIRECTION_CHOICES = [
    (Direction.HIGHER_IS_BETTER.value, "Semakin tinggi semakin baik"),
    (Direction.LOWER_IS_BETTER.value, "Semakin rendah semakin baik"),
    (Direction.WITHIN_BAND.value, "Berada dalam rentang"),
    (Direction.UNKNOWN.value, "Tidak ditentukan"),
]


def _check_values(obj: models.Model, *, targets: tuple[tuple[str, str, str], ...] = (),
                  values: tuple[str, ...] = (), money: tuple[str, ...] = (), indicator: str | None = None) -> None:
    """Model validation (admin forms) of a row's targets (one value or a range, never inverted),
    baselines and end values, and money: the rules of the plan editor and the Excel import
    (`domain.targets.negative_problem`, `domain.plan_cells.money_problem`), in their words.
    `indicator`: the name of the indicator the values belong to (None: a plan line's)."""
    from django.core.exceptions import ValidationError

    from selaras.domain.plan_cells import money_problem
    from selaras.domain.targets import negative_problem, target_problem
    from selaras.web.errors.messages import PLAN_VALUE_TEXTS

    found: list[tuple[str, str]] = []
    for group in targets:
        got = [getattr(obj, f) for f in group]
        found.append((group[0], negative_problem(*got, indicator=indicator) or target_problem(*got) or ""))
    found += [(f, negative_problem(getattr(obj, f), indicator=indicator) or "") for f in values]
    found += [(f, money_problem(getattr(obj, f)) or "") for f in money]
    labels = {f: str(getattr(obj._meta.get_field(f), "verbose_name", f)) for f, code in found if code}
    errors = [f"{labels[f][:1].upper()}{labels[f][1:]}: {PLAN_VALUE_TEXTS[code]}" for f, code in found if code]
    if errors:
        raise ValidationError(errors)


class LocalGovernment(models.Model):
    """Pemerintah Daerah: the tenant. A province and its regencies can share one install."""

    region_code = models.CharField("kode wilayah", max_length=13)
    region_edition = models.CharField("edisi kode wilayah", max_length=64, default=REGION_EDITION_DEFAULT)
    name = models.CharField("nama", max_length=200)
    level = models.CharField("tingkat", max_length=16, choices=LEVEL_CHOICES)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name="provinsi induk")
    nomenclature_edition = models.CharField("edisi nomenklatur", max_length=64,
                                            default=NOMENCLATURE_EDITION_DEFAULT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pemerintah daerah"
        verbose_name_plural = "pemerintah daerah"
        constraints = [models.UniqueConstraint(fields=["region_code", "region_edition"], name="uniq_gov_region")]
        ordering = ["region_code"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """Perangkat Daerah, with the sectors (bidang urusan) it carries."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="agencies",
                                   verbose_name="pemerintah daerah")
    code = models.CharField("kode perangkat daerah", max_length=32)
    name = models.CharField("nama", max_length=200)
    short_name = models.CharField("singkatan", max_length=40, blank=True)
    sector_codes = models.JSONField("kode bidang urusan", default=list)
    district_code = models.CharField("kode kecamatan (untuk kantor kecamatan)", max_length=13, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "perangkat daerah"
        verbose_name_plural = "perangkat daerah"
        constraints = [models.UniqueConstraint(fields=["government", "code"], name="uniq_agency_code")]
        ordering = ["government", "code"]

    def __str__(self) -> str:
        return self.short_name or self.name


class LongTermPlan(models.Model):
    """RPJPD (20 years)."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="rpjpds")
    start_year = models.PositiveIntegerField("tahun awal")
    end_year = models.PositiveIntegerField("tahun akhir")
    vision = models.TextField("visi")
    missions = models.JSONField("misi", default=list)
    stage = models.CharField("tahap", max_length=20, choices=STAGE_CHOICES, default=STAGE_CHOICES[0][0])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "RPJPD"
        verbose_name_plural = "RPJPD"

    def __str__(self) -> str:
        return f"RPJPD {self.government} {self.start_year}-{self.end_year}"


class MediumTermPlan(models.Model):
    """RPJMD (5 years)."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="rpjmds")
    long_term_plan = models.ForeignKey(LongTermPlan, null=True, blank=True, on_delete=models.SET_NULL)
    start_year = models.PositiveIntegerField("tahun awal")
    end_year = models.PositiveIntegerField("tahun akhir")
    vision = models.TextField("visi")
    stage = models.CharField("tahap", max_length=20, choices=STAGE_CHOICES, default=STAGE_CHOICES[0][0])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "RPJMD"
        verbose_name_plural = "RPJMD"

    def __str__(self) -> str:
        return f"RPJMD {self.government} {self.start_year}-{self.end_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class Mission(models.Model):
    rpjmd = models.ForeignKey(MediumTermPlan, on_delete=models.CASCADE, related_name="missions")
    number = models.PositiveIntegerField("nomor")
    text = models.TextField("misi")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "misi"
        verbose_name_plural = "misi"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Misi {self.number}: {self.text[:60]}"


class Goal(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="goals")
    number = models.CharField("nomor", max_length=16)
    text = models.TextField("tujuan")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tujuan"
        verbose_name_plural = "tujuan"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Tujuan {self.number}: {self.text[:60]}"


class Objective(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")
    number = models.CharField("nomor", max_length=16)
    text = models.TextField("sasaran")
    history = HistoricalRecords()
    #: Rows of the objective's indicator table, attached by the plan selectors for the page
    #: (not a column).
    indicator_table: list[IndicatorRow]

    class Meta:
        verbose_name = "sasaran"
        verbose_name_plural = "sasaran"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Sasaran {self.number}: {self.text[:60]}"


class Strategy(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="strategies")
    text = models.TextField("strategi")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "strategi"
        verbose_name_plural = "strategi"

    def __str__(self) -> str:
        return self.text[:80]


class PolicyDirection(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="policy_directions")
    text = models.TextField("arah kebijakan")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "arah kebijakan"
        verbose_name_plural = "arah kebijakan"

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(models.Model):
    """An indicator with unit, baseline, yearly targets and end value.

    It belongs to exactly one owner: an RPJPD (a long-term target of the region, e.g. poverty
    0.6–1.8 % in 2045), an RPJMD (key indicator), an RPJMD objective, or a Renstra objective. `key` names what it measures (e.g. `stunting_prevalence`),
    so that it can be matched with the same indicator of a higher-level plan.
    """

    long_term_plan = models.ForeignKey(LongTermPlan, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="indicators", verbose_name="RPJPD")
    rpjmd = models.ForeignKey(MediumTermPlan, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="key_indicators")
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="indicators")
    renstra_objective = models.ForeignKey("RenstraObjective", null=True, blank=True,
                                          on_delete=models.CASCADE, related_name="indicators")
    key = models.SlugField("kunci indikator", max_length=80, blank=True)
    name = models.CharField("nama indikator", max_length=300)
    unit = models.CharField("satuan", max_length=60, blank=True)
    direction = models.CharField("arah", max_length=8, choices=DIRECTION_CHOICES, default=Direction.UNKNOWN.value)
    baseline = models.DecimalField("kondisi awal", max_digits=18, decimal_places=4, null=True, blank=True)
    end_value = models.DecimalField("kondisi akhir", max_digits=18, decimal_places=4, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikator"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_values(self, values=("baseline", "end_value"), indicator=self.name or "")


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField("tahun")
    #: A single target value; a range is stored in target_min/target_max (either or both).
    value = models.DecimalField("target", max_digits=18, decimal_places=4, null=True, blank=True)
    target_min = models.DecimalField("target minimum", max_digits=18, decimal_places=4, null=True, blank=True)
    target_max = models.DecimalField("target maksimum", max_digits=18, decimal_places=4, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "target indikator"
        verbose_name_plural = "target indikator"
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="uniq_indicator_year")]
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value if self.value is not None else ''}"

    def clean(self) -> None:
        name = Indicator.objects.filter(pk=self.indicator_id).values_list("name", flat=True).first() or ""
        _check_values(self, targets=(("value", "target_min", "target_max"),), indicator=name)


class Renstra(models.Model):
    """Agency strategic plan (5 years)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="renstras")
    rpjmd = models.ForeignKey(MediumTermPlan, on_delete=models.CASCADE, related_name="renstras")
    start_year = models.PositiveIntegerField("tahun awal")
    end_year = models.PositiveIntegerField("tahun akhir")
    stage = models.CharField("tahap", max_length=20, choices=STAGE_CHOICES, default=STAGE_CHOICES[0][0])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Renstra"
        verbose_name_plural = "Renstra"

    def __str__(self) -> str:
        return f"Renstra {self.agency} {self.start_year}-{self.end_year}"


class RenstraGoal(models.Model):
    renstra = models.ForeignKey(Renstra, on_delete=models.CASCADE, related_name="goals")
    number = models.CharField("nomor", max_length=16)
    text = models.TextField("tujuan")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tujuan Renstra"
        verbose_name_plural = "tujuan Renstra"
        ordering = ["number"]

    def __str__(self) -> str:
        return self.text[:80]


class RenstraObjective(models.Model):
    goal = models.ForeignKey(RenstraGoal, on_delete=models.CASCADE, related_name="objectives")
    number = models.CharField("nomor", max_length=16)
    text = models.TextField("sasaran")
    rpjmd_objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="renstra_objectives", verbose_name="sasaran RPJMD")
    history = HistoricalRecords()
    #: Rows of the objective's indicator table, attached by the plan selectors for the page
    #: (not a column).
    indicator_table: list[IndicatorRow]

    class Meta:
        verbose_name = "sasaran Renstra"
        verbose_name_plural = "sasaran Renstra"
        ordering = ["number"]

    def __str__(self) -> str:
        return self.text[:80]


class RenstraStrategy(models.Model):
    """A strategy of a Renstra objective (strategi), with its policy directions."""

    objective = models.ForeignKey(RenstraObjective, on_delete=models.CASCADE, related_name="strategies")
    text = models.TextField("strategi")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "strategi Renstra"
        verbose_name_plural = "strategi Renstra"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


class RenstraPolicyDirection(models.Model):
    strategy = models.ForeignKey(RenstraStrategy, on_delete=models.CASCADE, related_name="policy_directions")
    text = models.TextField("arah kebijakan")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "arah kebijakan Renstra"
        verbose_name_plural = "arah kebijakan Renstra"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


class RenstraLine(models.Model):
    """A program, activity or sub-activity of a Renstra, on a nomenclature code."""

    renstra = models.ForeignKey(Renstra, on_delete=models.CASCADE, related_name="lines")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    objective = models.ForeignKey(RenstraObjective, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="lines", verbose_name="sasaran Renstra")
    level = models.CharField("tingkat", max_length=16, choices=LINE_LEVEL_CHOICES)
    code = models.CharField("kode", max_length=24)
    nomenclature_edition = models.CharField(max_length=64, default=NOMENCLATURE_EDITION_DEFAULT)
    name = models.CharField("nama", max_length=400)
    indicator = models.CharField("indikator", max_length=300, blank=True)
    unit = models.CharField("satuan", max_length=60, blank=True)
    direction = models.CharField("arah", max_length=8, choices=DIRECTION_CHOICES, default=Direction.UNKNOWN.value)
    baseline = models.DecimalField("kondisi awal", max_digits=18, decimal_places=4, null=True, blank=True)
    end_target = models.DecimalField("target akhir periode", max_digits=18, decimal_places=4, null=True, blank=True)
    responsible_unit = models.CharField("unit penanggung jawab", max_length=200, blank=True)
    location = models.CharField("lokasi", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "baris Renstra"
        verbose_name_plural = "baris Renstra"
        indexes = [models.Index(fields=["renstra", "code"])]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        _check_values(self, values=("baseline", "end_target"))


class RenstraLineYear(models.Model):
    line = models.ForeignKey(RenstraLine, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField("tahun")
    #: A single target value; a range is stored in target_min/target_max (either or both).
    target = models.DecimalField("target", max_digits=18, decimal_places=4, null=True, blank=True)
    target_min = models.DecimalField("target minimum", max_digits=18, decimal_places=4, null=True, blank=True)
    target_max = models.DecimalField("target maksimum", max_digits=18, decimal_places=4, null=True, blank=True)
    budget = models.BigIntegerField("pagu indikatif (Rp)", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "target dan pagu tahunan"
        verbose_name_plural = "target dan pagu tahunan"
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="uniq_renstra_line_year")]
        ordering = ["year"]

    def clean(self) -> None:
        _check_values(self, targets=(("target", "target_min", "target_max"),), money=("budget",))


class AnnualPlan(models.Model):
    """RKPD: the regional annual plan of one year."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="rkpds")
    rpjmd = models.ForeignKey(MediumTermPlan, null=True, blank=True, on_delete=models.SET_NULL)
    year = models.PositiveIntegerField("tahun")
    stage = models.CharField("tahap", max_length=20, choices=STAGE_CHOICES, default=STAGE_CHOICES[0][0])
    ceiling = models.BigIntegerField("pagu indikatif daerah (Rp)", default=0)
    theme = models.CharField("tema", max_length=300, blank=True)
    #: The development priorities of the year (prioritas pembangunan daerah), in order.
    priorities = models.JSONField("prioritas pembangunan", default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "RKPD"
        verbose_name_plural = "RKPD"
        constraints = [models.UniqueConstraint(fields=["government", "year"], name="uniq_rkpd_year")]

    def __str__(self) -> str:
        return f"RKPD {self.government} {self.year}"

    def clean(self) -> None:
        _check_values(self, money=("ceiling",))


class PriorityProgram(models.Model):
    """A priority program of the RKPD year."""

    rkpd = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="priority_programs")
    code = models.CharField("kode program", max_length=24)
    name = models.CharField("nama", max_length=400)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "program prioritas"
        verbose_name_plural = "program prioritas"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AgencyAnnualPlan(models.Model):
    """Renja: an agency's slice of the RKPD year."""

    rkpd = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="renjas")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="renjas")
    stage = models.CharField("tahap", max_length=20, choices=STAGE_CHOICES, default=STAGE_CHOICES[0][0])
    ceiling = models.BigIntegerField("pagu indikatif perangkat daerah (Rp)", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Renja"
        verbose_name_plural = "Renja"
        constraints = [models.UniqueConstraint(fields=["rkpd", "agency"], name="uniq_renja")]

    def __str__(self) -> str:
        return f"Renja {self.agency} {self.rkpd.year}"

    def clean(self) -> None:
        _check_values(self, money=("ceiling",))


class RenjaLine(models.Model):
    """A sub-activity of a Renja for the year, with target and budget."""

    renja = models.ForeignKey(AgencyAnnualPlan, on_delete=models.CASCADE, related_name="lines")
    renstra_line = models.ForeignKey(RenstraLine, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="renja_lines")
    code = models.CharField("kode sub kegiatan", max_length=24)
    nomenclature_edition = models.CharField(max_length=64, default=NOMENCLATURE_EDITION_DEFAULT)
    name = models.CharField("nama", max_length=400)
    indicator = models.CharField("indikator", max_length=300, blank=True)
    unit = models.CharField("satuan", max_length=60, blank=True)
    direction = models.CharField("arah", max_length=8, choices=DIRECTION_CHOICES, default=Direction.UNKNOWN.value)
    #: A single target value; a range is stored in target_min/target_max (either or both).
    target = models.DecimalField("target", max_digits=18, decimal_places=4, null=True, blank=True)
    target_min = models.DecimalField("target minimum", max_digits=18, decimal_places=4, null=True, blank=True)
    target_max = models.DecimalField("target maksimum", max_digits=18, decimal_places=4, null=True, blank=True)
    budget = models.BigIntegerField("pagu (Rp)", default=0)
    #: The pagu follows the costs of the accepted proposals linked to the line.
    budget_from_proposals = models.BooleanField("pagu mengikuti usulan diterima", default=False)
    forward_estimate = models.BigIntegerField("prakiraan maju (Rp)", default=0)
    #: The target of the forward year (n+1): a single value or a range, like `target`.
    forward_target = models.DecimalField("target prakiraan maju", max_digits=18, decimal_places=4, null=True,
                                         blank=True)
    forward_target_min = models.DecimalField("target prakiraan maju minimum", max_digits=18, decimal_places=4,
                                             null=True, blank=True)
    forward_target_max = models.DecimalField("target prakiraan maju maksimum", max_digits=18, decimal_places=4,
                                             null=True, blank=True)
    #: 'Catatan penting' of the T-C.33 table.
    note = models.CharField("catatan penting", max_length=400, blank=True)
    funding_source = models.CharField("sumber dana", max_length=120, blank=True)
    location = models.CharField("lokasi", max_length=200, blank=True)
    district_code = models.CharField("kode kecamatan (bila dikelola kecamatan)", max_length=13, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "baris Renja"
        verbose_name_plural = "baris Renja"
        indexes = [models.Index(fields=["renja", "code"])]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        _check_values(self, targets=(("target", "target_min", "target_max"),
                                     ("forward_target", "forward_target_min", "forward_target_max")),
                      money=("budget", "forward_estimate"))
