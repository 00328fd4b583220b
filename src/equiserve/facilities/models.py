"""Public facilities the plan sets standards for, and the road network to reach them.

One `Facility` model with typed kinds; each kind uses the attributes its
standard reads (clauses 3.1.3, 3.2.1, 3.2.2, 3.6.1, 3.6.2, 3.9). Facilities
made up for the demo city say so in `synthetic`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equiserve.geography.models import NaturalVillage, Town, Village


class Kind(models.TextChoices):
    CULTURE_CENTRE = "culture_centre", _("Town culture activity centre")
    LIBRARY = "library", _("Town library")
    CULTURE_VENUE = "culture_venue", _("Other public culture venue")
    TOWN_PLAZA = "town_plaza", _("Town culture plaza")
    CULTURE_ROOM = "culture_room", _("Village culture room")
    VILLAGE_PLAZA = "village_plaza", _("Village culture plaza")
    SPORTS_GROUND = "sports_ground", _("Sports ground (courts, tables)")
    FITNESS_GROUND = "fitness_ground", _("Fitness plaza or garden")
    GUIDANCE_STATION = "guidance_station", _("Fitness guidance station")
    SENIOR_HIGH = "senior_high", _("General senior high school")
    VOCATIONAL_SCHOOL = "vocational_school", _("Secondary vocational school")
    DISABILITY_SERVICE = "disability_service", _("Disability service institution")


# Kinds whose indoor floor area counts as public culture facility area (3.2.2).
CULTURE_INDOOR_KINDS = (
    Kind.CULTURE_CENTRE,
    Kind.LIBRARY,
    Kind.CULTURE_VENUE,
    Kind.CULTURE_ROOM,
)
SCHOOL_KINDS = (Kind.SENIOR_HIGH, Kind.VOCATIONAL_SCHOOL)


class Authority(models.TextChoices):
    CITY = "city", _("City-run")
    TOWN = "town", _("Town-run")


class DisabilityComponent(models.TextChoices):
    """The 'five ones' (五个一工程) and the other institutions of clause 3.9."""

    REHABILITATION_CENTRE = "rehabilitation_centre", _("Rehabilitation centre")
    SEVERE_DISABILITY_SCHOOL = (
        "severe_disability_school",
        _("School for children with severe disabilities"),
    )
    KANGYUAN_STATION = "kangyuan_station", _("Kangyuan work-therapy station")
    CARE_INSTITUTION = "care_institution", _("Care institution")
    POVERTY_TRAINING_BASE = (
        "poverty_training_base",
        _("Poverty-alleviation training base"),
    )
    COMPREHENSIVE_CENTRE = "comprehensive_centre", _("Comprehensive service centre")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational-training platform")


# Checklists: the field behind each item a standard names (parameter values).
LIBRARY_ITEMS = (
    "computerized",
    "union_catalogue",
    "unified_service",
    "unified_distribution",
    "borrow_anywhere",
    "self_service_24h",
)
PLAZA_ITEMS = ("stage", "dressing_room", "lighting", "sound")
STATION_ITEMS = (
    "sign",
    "rules",
    "equipment",
    "uniforms",
    "fixed_place",
    "fixed_time",
    "fixed_activity",
    "fixed_staff",
)


def _area(label):
    return models.DecimalField(
        label, max_digits=10, decimal_places=2, null=True, blank=True
    )


class Facility(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name_zh = models.CharField(_("Chinese name"), max_length=96)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("town"),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("village or community"),
    )
    natural_village = models.ForeignKey(
        NaturalVillage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("natural village"),
    )
    lon = models.FloatField(_("longitude (WGS-84)"))
    lat = models.FloatField(_("latitude (WGS-84)"))
    opening_date = models.DateField(_("opening date"), null=True, blank=True)

    indoor_area_m2 = _area(_("indoor floor area (m²)"))
    site_area_m2 = _area(_("site area (m²)"))
    free_opening = models.BooleanField(_("open free of charge"), default=False)
    free_activities_per_year = models.PositiveIntegerField(
        _("free activities per year"), null=True, blank=True
    )
    equipment_renewed_on = models.DateField(
        _("equipment last renewed on"), null=True, blank=True
    )
    e_reading_room = models.BooleanField(_("public e-reading room"), default=False)

    # Libraries (3.2.2)
    computerized = models.BooleanField(_("computerized management"), default=False)
    union_catalogue = models.BooleanField(_("union catalogue"), default=False)
    # 统一服务, 统一配送（交流）: one service and one distribution (exchange) of books
    # across the central and branch libraries (3.2.2).
    unified_service = models.BooleanField(_("unified service"), default=False)
    unified_distribution = models.BooleanField(
        _("unified distribution (exchange)"), default=False
    )
    borrow_anywhere = models.BooleanField(
        _("borrow anywhere, return anywhere"), default=False
    )
    self_service_24h = models.BooleanField(_("24-hour self-service"), default=False)

    # Town culture plazas (3.2.2)
    stage = models.BooleanField(_("stage"), default=False)
    dressing_room = models.BooleanField(_("dressing room"), default=False)
    lighting = models.BooleanField(_("lighting"), default=False)
    sound = models.BooleanField(_("sound system"), default=False)

    # Sports grounds (3.6.1)
    basketball_courts = models.PositiveSmallIntegerField(
        _("standard basketball courts"), default=0
    )
    table_tennis_tables = models.PositiveSmallIntegerField(
        _("outdoor table-tennis tables"), default=0
    )

    # Fitness guidance stations (3.6.2): "four haves, four fixed"
    sign = models.BooleanField(_("has a sign"), default=False)
    rules = models.BooleanField(_("has rules"), default=False)
    equipment = models.BooleanField(_("has equipment"), default=False)
    uniforms = models.BooleanField(_("has uniforms"), default=False)
    fixed_place = models.BooleanField(_("fixed place"), default=False)
    fixed_time = models.BooleanField(_("fixed time"), default=False)
    fixed_activity = models.BooleanField(_("fixed activity"), default=False)
    fixed_staff = models.BooleanField(_("fixed staff"), default=False)
    instructors = models.PositiveSmallIntegerField(
        _("part-time sports instructors"), null=True, blank=True
    )

    # Schools (3.1.3): who runs it, and since when (before that, the other one).
    managed_by = models.CharField(
        _("managing authority"), max_length=8, choices=Authority.choices, blank=True
    )
    managed_by_since = models.DateField(
        _("managed by that authority since"), null=True, blank=True
    )

    # Disability services (3.9)
    disability_component = models.CharField(
        _("disability service component"),
        max_length=32,
        choices=DisabilityComponent.choices,
        blank=True,
    )

    synthetic = models.BooleanField(_("synthetic"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["town_id", "kind", "code"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [models.Index(fields=["town", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="facility_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(managed_by__in=["", *Authority.values]),
                name="facility_managed_by_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=SCHOOL_KINDS) | ~Q(managed_by=""),
                name="facility_school_has_authority",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.DISABILITY_SERVICE)
                | ~Q(disability_component=""),
                name="facility_disability_has_component",
            ),
            models.CheckConstraint(
                condition=Q(indoor_area_m2__isnull=True) | Q(indoor_area_m2__gte=0),
                name="facility_indoor_area_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(site_area_m2__isnull=True) | Q(site_area_m2__gte=0),
                name="facility_site_area_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                name="facility_location_degrees",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.code})"


class RoadNetwork(models.Model):
    """An imported walkable road network; the latest one is used for distances."""

    name = models.CharField(_("network name"), max_length=200)
    source_format = models.CharField(
        _("format"),
        max_length=8,
        choices=[("graphml", "GraphML"), ("geojson", "GeoJSON")],
    )
    node_count = models.PositiveIntegerField(_("nodes"))
    edge_count = models.PositiveIntegerField(_("edges"))
    # numpy arrays (node lon/lat, edge ends and lengths) as a compressed .npz
    data = models.BinaryField(_("network data"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("road network")
        verbose_name_plural = _("road networks")

    def __str__(self) -> str:
        return f"{self.name} ({self.node_count} nodes)"
