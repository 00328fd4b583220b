"""The health registries: type-1 diabetes (3.3.2) and the school mental-health pilot (3.3.1).

Who enrols a patient is the engine's answer (`t1d_free_care_eligible`), never
restated here; what standardized management and glucose control mean are the
plan's dated parameters (`health.t1d_management_minimum_follow_ups`,
`health.t1d_control_maximum_hba1c`), read in `selectors.py`. Persons are the
registry's; these records are the health role's (`permissions.py`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from equiserve.choices import choices_for
from equiserve.geography.models import Town
from equiserve.health.vocabulary import service_kind_choices
from equiserve.registry.models import Person


class Hospital(models.Model):
    """A hospital that diagnoses and follows type-1 diabetes patients."""

    code = models.CharField(_("hospital code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    grade = models.CharField(
        _("hospital grade"), max_length=2, choices=choices_for("t1d_hospital_grade")
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitals")

    def __str__(self) -> str:
        return self.name


class InsulinRegimen(models.TextChoices):
    BASAL_BOLUS = "basal_bolus", _("Basal-bolus injections")
    PREMIXED = "premixed", _("Premixed insulin")
    PUMP = "pump", _("Insulin pump")
    OTHER = "other", _("Other regimen")


class Enrolment(models.Model):
    """A patient in the 3.3.2 type-1 diabetes registry, treated at one hospital."""

    public_id = models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False
    )
    person = models.OneToOneField(
        Person,
        on_delete=models.PROTECT,
        related_name="t1d_enrolment",
        verbose_name=_("patient"),
    )
    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, verbose_name=_("treating hospital")
    )
    enrolled_on = models.DateField(_("enrolled on"))
    left_on = models.DateField(_("left the registry on"), null=True, blank=True)
    # The engine's explanation of the eligibility it found on enrolment.
    eligibility = models.TextField(_("eligibility found"), blank=True)

    class Meta:
        ordering = ["enrolled_on", "pk"]
        verbose_name = _("type-1 diabetes patient")
        verbose_name_plural = _("type-1 diabetes patients")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("enrolled_on")),
                name="t1d_enrolment_leaves_after_enrolling",
            )
        ]

    def __str__(self) -> str:
        return f"T1D {self.public_id}"


class FollowUp(models.Model):
    """One follow-up visit of an enrolled patient."""

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("patient"),
    )
    visited_on = models.DateField(_("visit date"))
    hba1c = models.DecimalField(
        _("HbA1c (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    fasting_glucose = models.DecimalField(
        _("fasting glucose (mmol/L)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    insulin_regimen = models.CharField(
        _("insulin regimen"), max_length=16, choices=InsulinRegimen.choices
    )
    hypoglycaemia_events = models.PositiveSmallIntegerField(
        _("hypoglycaemia events since the last visit"), default=0
    )
    # The Encounter id it was imported from (FHIR), so a resend is not doubled.
    fhir_id = models.CharField(_("FHIR id"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["visited_on", "pk"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(hba1c__isnull=True) | Q(hba1c__gte=2, hba1c__lte=25),
                name="t1d_follow_up_hba1c_range",
            ),
            models.CheckConstraint(
                condition=Q(fasting_glucose__isnull=True)
                | Q(fasting_glucose__gte=0.5, fasting_glucose__lte=60),
                name="t1d_follow_up_glucose_range",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.visited_on}"


class DispensedItem(models.TextChoices):
    GLUCOSE_DRUGS = "glucose_drugs", _("Glucose-lowering drugs")
    TEST_STRIPS = "test_strips", _("Glucose test strips")


class Dispensing(models.Model):
    """Free drugs or test strips dispensed to an enrolled patient, at their cost."""

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="dispensings",
        verbose_name=_("patient"),
    )
    dispensed_on = models.DateField(_("dispensed on"))
    item = models.CharField(_("item"), max_length=16, choices=DispensedItem.choices)
    product = models.CharField(_("product"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"))
    # Money to the fen; the cost is quantity × unit cost, held by the database.
    unit_cost = models.DecimalField(_("unit cost"), max_digits=10, decimal_places=2)
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2)
    # The MedicationDispense id it was imported from (FHIR).
    fhir_id = models.CharField(_("FHIR id"), max_length=64, blank=True)

    class Meta:
        ordering = ["dispensed_on", "pk"]
        verbose_name = _("dispensing")
        verbose_name_plural = _("dispensings")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0) & Q(cost=F("quantity") * F("unit_cost")),
                name="t1d_dispensing_cost_is_quantity_times_unit_cost",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.dispensed_on}"


# --- Student mental-health pilot (3.3.1) ---------------------------------


class PilotSchool(models.Model):
    """A school of the mental-health pilot, from the day it joins."""

    code = models.CharField(_("school code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))
    stage = models.CharField(
        _("school stage"), max_length=16, choices=choices_for("school_stage")
    )
    city_run = models.BooleanField(_("run by the city"), default=False)
    pilot_from = models.DateField(_("in the pilot from"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("pilot school")
        verbose_name_plural = _("pilot schools")

    def __str__(self) -> str:
        return self.name


class PsychologyTeacher(models.Model):
    """A school's psychology teacher; with an account, bound to that one school."""

    school = models.ForeignKey(
        PilotSchool,
        on_delete=models.PROTECT,
        related_name="teachers",
        verbose_name=_("school"),
    )
    name = models.CharField(_("name"), max_length=32)
    full_time = models.BooleanField(_("full-time"), default=True)
    # The national vocational qualification training the plan asks for.
    certified_on = models.DateField(
        _("qualification certified on"), null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="psychology_teacher",
        verbose_name=_("account"),
    )

    class Meta:
        ordering = ["school", "name", "pk"]
        verbose_name = _("psychology teacher")
        verbose_name_plural = _("psychology teachers")

    def __str__(self) -> str:
        return self.name


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    ELEVATED = "elevated", _("Elevated risk")
    HIGH = "high", _("High risk")


class Instrument(models.TextChoices):
    MHT = "mht", _("Mental Health Test (MHT)")


class Screening(models.Model):
    """A pupil's screening; its risk level follows the plan's dated cut-offs."""

    public_id = models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False
    )
    school = models.ForeignKey(
        PilotSchool,
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("school"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("pupil"),
    )
    screened_on = models.DateField(_("screened on"))
    instrument = models.CharField(
        _("instrument"), max_length=8, choices=Instrument.choices
    )
    score = models.PositiveSmallIntegerField(_("score"))
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices
    )

    class Meta:
        ordering = ["screened_on", "pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"screening {self.public_id}"


class Referral(models.Model):
    """A referral from the school to the health service, and its follow-up."""

    screening = models.OneToOneField(
        Screening,
        on_delete=models.CASCADE,
        related_name="referral",
        verbose_name=_("screening"),
    )
    referred_on = models.DateField(_("referred on"))
    service = models.CharField(_("health service"), max_length=100)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)

    class Meta:
        ordering = ["referred_on", "pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(followed_up_on__isnull=True)
                | Q(followed_up_on__gte=F("referred_on")),
                name="referral_followed_up_after_referral",
            )
        ]

    def __str__(self) -> str:
        return f"referral {self.referred_on}"


class HospitalStaff(models.Model):
    """A health-role account working at one hospital: records its patients' visits."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hospital_staff",
        verbose_name=_("account"),
    )
    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, verbose_name=_("hospital")
    )

    class Meta:
        verbose_name = _("hospital staff")
        verbose_name_plural = _("hospital staff")

    def __str__(self) -> str:
        return f"{self.user_id} at {self.hospital_id}"


# --- Migrants' free family-planning services (3.3.4) ---------------------


class MigrantService(models.Model):
    """One free family-planning service delivered to an eligible migrant (3.3.4).

    The kind is an item of the plan's 3.3.4 programmes (`vocabulary`); the
    engine found the person eligible for it on the day it was delivered, and
    its explanation is kept with the record.
    """

    public_id = models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="migrant_services",
        verbose_name=_("person served"),
    )
    kind = models.CharField(_("service"), max_length=32, choices=service_kind_choices)
    delivered_on = models.DateField(_("delivered on"))
    provider = models.CharField(_("provider"), max_length=100)
    # The engine's explanation of the eligibility it found on the day.
    eligibility = models.TextField(_("eligibility found"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["delivered_on", "pk"]
        verbose_name = _("family-planning service")
        verbose_name_plural = _("family-planning services")
        indexes = [models.Index(fields=["delivered_on", "person"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.delivered_on}"
