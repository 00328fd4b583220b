"""The city's administrative units: 24 town-level units, villages below them.

Town codes and names are real (2015 NBS code table); villages, natural villages
and town areas are generated or approximate and say so in `synthetic` and
`area_status`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Town(models.Model):
    class Kind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("Subdistrict")
        TOWN = "town", _("Town")

    class AreaStatus(models.TextChoices):
        APPROXIMATE = "approximate", _("Approximate (generated)")
        IMPORTED = "imported", _("Imported boundary")

    code = models.CharField(_("code"), max_length=9, primary_key=True)
    code_12 = models.CharField(_("12-digit code"), max_length=12, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=32)
    short_name_zh = models.CharField(_("short Chinese name"), max_length=16)
    pinyin = models.CharField(_("pinyin"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    # Centre point in WGS-84; the GCJ-02 source values are kept beside it.
    center_lon = models.FloatField(_("centre longitude (WGS-84)"))
    center_lat = models.FloatField(_("centre latitude (WGS-84)"))
    center_lon_gcj02 = models.FloatField(_("centre longitude (GCJ-02)"))
    center_lat_gcj02 = models.FloatField(_("centre latitude (GCJ-02)"))
    area_geometry = models.JSONField(_("area (GeoJSON geometry, WGS-84)"), null=True)
    area_status = models.CharField(
        _("area status"),
        max_length=16,
        choices=AreaStatus.choices,
        default=AreaStatus.APPROXIMATE,
    )
    area_source = models.CharField(_("area source"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["subdistrict", "town"]), name="town_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(area_status__in=["approximate", "imported"]),
                name="town_area_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_name_zh} ({self.code})"


class Village(models.Model):
    """An administrative village (行政村) or urban community (社区)."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community")
        VILLAGE = "village", _("Administrative village")

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="villages", verbose_name=_("town")
    )
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    lon = models.FloatField(_("longitude (WGS-84)"))
    lat = models.FloatField(_("latitude (WGS-84)"))
    # Share of the town's residents placed here by the synthetic population.
    population_weight = models.FloatField(_("population weight"), default=0.0)
    synthetic = models.BooleanField(_("synthetic"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("village or community")
        verbose_name_plural = _("villages and communities")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["community", "village"]),
                name="village_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(population_weight__gte=0) & Q(population_weight__lte=1),
                name="village_population_weight_share",
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh


class NaturalVillage(models.Model):
    """A natural village (自然村) inside an administrative village."""

    code = models.CharField(_("code"), max_length=15, primary_key=True)
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="natural_villages",
        verbose_name=_("administrative village"),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128)
    lon = models.FloatField(_("longitude (WGS-84)"))
    lat = models.FloatField(_("latitude (WGS-84)"))
    synthetic = models.BooleanField(_("synthetic"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("natural village")
        verbose_name_plural = _("natural villages")

    def __str__(self) -> str:
        return self.name_zh
