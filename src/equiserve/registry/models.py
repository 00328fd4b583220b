"""Persons and households, with the facts the plan's rules read.

Field names follow the evaluate contract (shared spec `evaluate.md`), flattened:
`veteran.kind` is `veteran_kind`. Health facts live apart in `PersonHealth` so
that only health roles can be given them.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from equiserve.choices import choices_for, codes_for
from equiserve.geography.models import Town, Village
from equiserve.policy.vocabulary import input_schema

# Codes and labels of the choice fields are the plan's vocabulary (inputs.yaml).
NOT_IN_SCHOOL = "none"


def points_step() -> Decimal:
    """Return the points system's grain, the plan's `step` of input `points` (0.5)."""
    schema = input_schema(settings.EQUISERVE_PLAN_DIR)
    return schema.field("person", "points").step


def validate_points(value) -> None:
    """Refuse a points score below 0 or off the half-point grain (107.3)."""
    step = points_step()
    if value is not None and (value < 0 or Decimal(str(value)) % step != 0):
        raise ValidationError(
            _("points go in steps of %(step)s from 0 (e.g. 107.5), not %(value)s"),
            params={"step": step, "value": value},
            code="points_step",
        )


class Household(models.Model):
    key = models.CharField(_("household number"), max_length=32, unique=True)
    # The id in URLs and the API: random, so records cannot be enumerated (issue
    # 10, finding 3); the sequential pk stays internal.
    public_id = models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False
    )
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("town"),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("village or community"),
    )
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    annual_income = models.DecimalField(
        _("annual income (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    assets = models.DecimalField(
        _("assets (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_area_m2__isnull=True) | Q(floor_area_m2__gte=0),
                name="household_floor_area_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Relation(models.TextChoices):
    """A member's relation to the head of the household, as the hukou booklet states it.

    Registry data, not a rule input: no rule of the plan reads it (issue 14).
    """

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other relative")


class Person(models.Model):
    key = models.CharField(_("person number"), max_length=32, unique=True)
    # The id in URLs and the API: random, so records cannot be enumerated (issue
    # 10, finding 3); the sequential pk stays internal.
    public_id = models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False
    )
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=32)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    relation_to_head = models.CharField(
        _("relation to the head of household"),
        max_length=16,
        choices=Relation.choices,
        blank=True,
    )
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=choices_for("sex"))
    hukou = models.CharField(
        _("household registration"), max_length=16, choices=choices_for("hukou")
    )
    hukou_kind = models.CharField(
        _("registration type"),
        max_length=8,
        choices=choices_for("hukou_kind"),
        blank=True,
    )
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="persons", verbose_name=_("town")
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("village or community"),
    )
    resident_since = models.DateField(_("resident since"), null=True, blank=True)
    # Half-points, stored exactly (issue 12, point 5): 107.5, never 107.3.
    points = models.DecimalField(
        _("points score"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[validate_points],
    )
    school_stage = models.CharField(
        _("school stage"),
        max_length=16,
        choices=choices_for("school_stage"),
        default=NOT_IN_SCHOOL,
    )
    guardian = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wards",
        verbose_name=_("guardian"),
    )
    low_income = models.BooleanField(_("low-income"), default=False)
    # Holds the one-child parents' certificate (3.3.3). Null: not recorded, which
    # never counts as yes or no (issue 12, point 7).
    one_child_parent = models.BooleanField(
        _("one-child parents' certificate"), null=True, blank=True
    )
    veteran_kind = models.CharField(
        _("veteran kind"),
        max_length=16,
        choices=choices_for("veteran_kind"),
        blank=True,
    )
    veteran_discharged = models.DateField(_("discharged on"), null=True, blank=True)
    veteran_nco_years = models.PositiveSmallIntegerField(
        _("years served as NCO"), null=True, blank=True
    )
    # A conscript serving now, enlisted from the city (3.4.3's family allowance).
    conscription_enlisted = models.DateField(
        _("enlisted on (serving conscript)"), null=True, blank=True
    )
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    death_storage_days = models.PositiveSmallIntegerField(
        _("body storage days"), null=True, blank=True
    )
    death_ash_storage_years = models.PositiveSmallIntegerField(
        _("ashes storage years"), null=True, blank=True
    )
    hardship_cause = models.CharField(
        _("hardship cause"),
        max_length=16,
        choices=choices_for("hardship_cause"),
        blank=True,
    )
    hardship_date = models.DateField(_("hardship date"), null=True, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["town", "hukou"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hukou__in=list(codes_for("hukou"))),
                name="person_hukou_known",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=list(codes_for("sex"))), name="person_sex_known"
            ),
            # GB 11643-1999 numbers have 18 characters; the import checks the rest.
            models.CheckConstraint(
                condition=Exact(Length("id_number"), 18),
                name="person_id_number_18_characters",
            ),
            models.CheckConstraint(
                condition=Q(death_date__isnull=True)
                | Q(death_date__gte=F("birth_date")),
                name="person_death_not_before_birth",
            ),
            models.CheckConstraint(
                condition=Q(resident_since__isnull=True)
                | Q(resident_since__gte=F("birth_date")),
                name="person_resident_not_before_birth",
            ),
            # PositiveIntegerField held this; a decimal needs saying it.
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="person_points_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class PersonHealth(models.Model):
    """Health facts of a person; readable by health roles only."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="health", primary_key=True
    )
    t1d_diagnosed = models.DateField(
        _("type-1 diabetes diagnosed on"), null=True, blank=True
    )
    t1d_hospital_grade = models.CharField(
        _("grade of the diagnosing hospital"),
        max_length=2,
        choices=choices_for("t1d_hospital_grade"),
        blank=True,
    )

    class Meta:
        verbose_name = _("health record")
        verbose_name_plural = _("health records")

    def __str__(self) -> str:
        return f"health record of {self.person_id}"
