"""Services for persons with disabilities (clause 3.9, issue 17).

The register holds who has a disability certificate (残疾人证): its number is
the holder's resident ID number followed by the category digit and the grade
digit (GB/T 26341-2010: 1 vision … 7 multiple; grades 1–4). Services are
recorded per person with dates and cost; the "five ones" institutions
(五个一工程) have a capacity, an occupancy (the services running there) and a
waiting list.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from equiserve.geography.models import Town
from equiserve.registry.models import Person


class Category(models.TextChoices):
    """GB/T 26341-2010 categories, in the order of their certificate digit."""

    VISION = "vision", _("Visual disability")
    HEARING = "hearing", _("Hearing disability")
    SPEECH = "speech", _("Speech disability")
    PHYSICAL = "physical", _("Physical disability")
    INTELLECTUAL = "intellectual", _("Intellectual disability")
    MENTAL = "mental", _("Mental disability")
    MULTIPLE = "multiple", _("Multiple disabilities")


# The certificate's 19th character: GB/T 26341's category code.
CATEGORY_DIGITS = {str(i): c for i, c in enumerate(Category.values, start=1)}
DIGIT_OF_CATEGORY = {c: d for d, c in CATEGORY_DIGITS.items()}
GRADES = (1, 2, 3, 4)


class DisabilityRecord(models.Model):
    """A person on the register: their certificate, category and grade."""

    person = models.OneToOneField(
        Person,
        on_delete=models.PROTECT,
        related_name="disability",
        verbose_name=_("person"),
    )
    certificate_number = models.CharField(
        _("disability certificate number"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^\d{17}[\dX]\d\d\Z")],
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    grade = models.PositiveSmallIntegerField(
        _("grade"),
        choices=[(g, g) for g in GRADES],
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    issued_on = models.DateField(_("certificate issued on"))

    class Meta:
        ordering = ["person__town_id", "person__key"]
        verbose_name = _("disability record")
        verbose_name_plural = _("disability records")
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=4), name="disability_grade_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="disability_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.key}: {self.category} {self.grade}"


class InstitutionKind(models.TextChoices):
    # The "five ones" (五个一工程), then the clause's other two institutions.
    REHABILITATION_CENTRE = "rehabilitation-centre", _("Rehabilitation centre")
    CHILDREN_SCHOOL = (
        "children-school",
        _("School for children with severe disabilities"),
    )
    KANGYUAN = "kangyuan", _("Kangyuan work-therapy station")
    CARE = "care", _("Residential care institution")
    POVERTY_BASE = "poverty-base", _("Poverty-alleviation training base")
    TRAINING_BASE = "training-base", _("Vocational training base")
    SERVICE_CENTRE = "service-centre", _("Comprehensive service centre")


FIVE_ONES = (
    InstitutionKind.REHABILITATION_CENTRE,
    InstitutionKind.CHILDREN_SCHOOL,
    InstitutionKind.KANGYUAN,
    InstitutionKind.CARE,
    InstitutionKind.POVERTY_BASE,
)


class Institution(models.Model):
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*\Z")],
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=InstitutionKind.choices)
    # None: a city institution; Kangyuan stations belong to their town.
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town"),
    )
    capacity = models.PositiveIntegerField(_("capacity (places)"), default=0)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative (demo)"), default=False)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InstitutionKind.values),
                name="disability_institution_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceKind(models.TextChoices):
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    KANGYUAN = "kangyuan", _("Kangyuan work therapy")
    CARE = "care", _("Residential care")
    TRAINING = "training", _("Vocational training")
    POVERTY_TRAINING = "poverty-training", _("Poverty-alleviation training")


class Service(models.Model):
    """A service to one person: what, where, from when to when, at what cost."""

    record = models.ForeignKey(
        DisabilityRecord,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("service"), max_length=24, choices=ServiceKind.choices)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("institution"),
    )
    start_date = models.DateField(_("from"))
    # None: still running (an enrolment, a place in care).
    end_date = models.DateField(_("until"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost (CNY)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    attendance_days = models.PositiveIntegerField(_("days attended"), default=0)

    class Meta:
        ordering = ["record_id", "start_date", "pk"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="disability_service_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0), name="disability_service_cost_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ServiceKind.values),
                name="disability_service_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.kind} {self.start_date}"


class WaitingEntry(models.Model):
    """A person waiting for a place at an institution."""

    record = models.ForeignKey(
        DisabilityRecord,
        on_delete=models.CASCADE,
        related_name="waiting",
        verbose_name=_("person"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="waiting",
        verbose_name=_("institution"),
    )
    since = models.DateField(_("waiting since"))
    # Set when the person got a place or left the list.
    ended_on = models.DateField(_("left the list on"), null=True, blank=True)

    class Meta:
        ordering = ["institution_id", "since", "pk"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "institution"],
                condition=Q(ended_on__isnull=True),
                name="disability_waiting_once_per_institution",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.institution_id}"
