"""Public rental housing (3.8): stock, applications, rounds and offers.

A round's frozen list and round.json are stored as the exact text that was
hashed and published, not as JSON columns: PostgreSQL's jsonb reorders keys,
and the published bytes must stay the published bytes.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from equiserve.geography.models import Town
from equiserve.registry.models import Household, Person

# Ids that appear in round.json: short, plain ASCII, no spaces.
code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z",
    _("Use letters, digits, dots, hyphens and underscores only."),
)
round_id_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*\Z",
    _("Use lowercase letters, digits and hyphens only."),
)


class Estate(models.Model):
    """A public rental housing estate; `code` is its id in round.json."""

    code = models.CharField(
        _("estate code"), max_length=16, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("estate name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96, blank=True)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="+", verbose_name=_("town")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("synthetic (demo)"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("estate")
        verbose_name_plural = _("estates")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UnitStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("In a frozen round")
    OFFERED = "offered", _("Offered")
    LET = "let", _("Let")
    WITHDRAWN = "withdrawn", _("Out of service")


class Unit(models.Model):
    """A flat: its size, rent, access, and the household sizes it suits."""

    code = models.CharField(
        _("unit code"), max_length=32, unique=True, validators=[code_validator]
    )
    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, related_name="units", verbose_name=_("estate")
    )
    floor_area_m2 = models.DecimalField(
        _("floor area of the unit (m²)"), max_digits=6, decimal_places=2
    )
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"))
    rent_monthly = models.DecimalField(
        _("monthly rent (CNY)"), max_digits=8, decimal_places=2
    )
    accessible = models.BooleanField(_("barrier-free"), default=False)
    suits_min = models.PositiveSmallIntegerField(_("smallest household it suits"))
    suits_max = models.PositiveSmallIntegerField(_("largest household it suits"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=UnitStatus.choices,
        default=UnitStatus.AVAILABLE,
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(suits_min__gte=1) & Q(suits_max__gte=models.F("suits_min")),
                name="housing_unit_suits_range",
            ),
            models.CheckConstraint(
                condition=Q(floor_area_m2__gt=0),
                name="housing_unit_floor_area_positive",
            ),
            models.CheckConstraint(
                condition=Q(rent_monthly__gte=0), name="housing_unit_rent_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status__in=UnitStatus.values),
                name="housing_unit_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def suits(self) -> list[int]:
        """Return the household sizes the unit suits, smallest first."""
        return list(range(self.suits_min, self.suits_max + 1))


class ApplicationStatus(models.TextChoices):
    WAITING = "waiting", _("On the waiting list")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    HOUSED = "housed", _("Housed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    """A household's application; eligibility and ranking facts as last assessed.

    `priority`, `score`, `household_size` and `migrant` are what the ranking
    reads, assessed by the engine and the ranking configuration on
    `assessed_on`; a round re-assesses every application when it is frozen.
    """

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="housing_applications",
        verbose_name=_("household"),
    )
    applicant = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="housing_applications",
        verbose_name=_("applicant"),
    )
    submitted_on = models.DateField(_("on the waiting list since"))
    disability = models.BooleanField(
        _("a member holds a disability certificate"), default=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices
    )
    eligible = models.BooleanField(_("eligible"))
    assessed_on = models.DateField(_("assessed on"))
    # {"zh": {"text", "steps"}, "en": {...}}: the engine's explanation.
    explanation = models.JSONField(_("explanation"), default=dict)
    priority = models.CharField(_("priority group"), max_length=32, blank=True)
    score = models.IntegerField(_("score"), default=0)
    household_size = models.PositiveSmallIntegerField(_("household size"))
    migrant = models.BooleanField(_("migrant household"), default=False)
    ranking_version = models.CharField(_("ranking version"), max_length=32)
    refusals = models.PositiveSmallIntegerField(_("offers refused"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("housing application")
        verbose_name_plural = _("housing applications")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="waiting"),
                name="housing_one_waiting_application_per_household",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="housing_application_status_valid",
            ),
            # Only an eligible household waits; an ineligible one is recorded.
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(eligible=True),
                name="housing_waiting_is_eligible",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_eligible") | Q(eligible=False),
                name="housing_not_eligible_is_not_eligible",
            ),
            models.CheckConstraint(
                condition=Q(household_size__gte=1),
                name="housing_application_household_size",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """Return the application's number for staff (A000042); not in round files."""
        return application_code(self.pk)


def application_code(pk: int) -> str:
    """Return the public id of application `pk`."""
    return f"A{pk:06d}"


def round_reference(round_id: str, application_pk: int) -> str:
    """Return application `application_pk`'s reference in round `round_id`'s files.

    The public list and round.json name applications by this reference only
    (issue 10, finding 13): keyed with SECRET_KEY and the round, it cannot be
    guessed from the sequential application number, enumerated, or followed from
    one round to the next. The household reads it on its application page.
    """
    digest = salted_hmac(
        "equiserve.housing.round_reference", f"{round_id}:{application_pk}"
    ).hexdigest()
    return f"R{digest[:16].upper()}"


def application_pk(code: str) -> int | None:
    """Return the application pk of a public id, or None if it is not one."""
    if len(code) < 2 or code[0] != "A" or not code[1:].isdigit():
        return None
    return int(code[1:])


class ApplicationPreference(models.Model):
    """One estate the household would accept, in its order of preference."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="preferences"
    )
    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, related_name="+", verbose_name=_("estate")
    )
    rank = models.PositiveSmallIntegerField(_("choice"))

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("estate preference")
        verbose_name_plural = _("estate preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "rank"], name="housing_preference_rank_once"
            ),
            models.UniqueConstraint(
                fields=["application", "estate"], name="housing_preference_estate_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.rank}. {self.estate_id}"


class RoundStatus(models.TextChoices):
    FROZEN = "frozen", _("List frozen, draw pending")
    DRAWN = "drawn", _("Drawn")


class AllocationRound(models.Model):
    """A round: a frozen list with its published hashes, then the draw's result."""

    id = models.CharField(
        _("round id"), max_length=32, primary_key=True, validators=[round_id_validator]
    )
    title = models.CharField(_("title"), max_length=100)
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices)
    as_of = models.DateField(_("eligibility assessed on"))
    ranking_version = models.CharField(_("ranking version"), max_length=32)
    # The published rules for groups and score (see housing.ranking).
    criteria = models.JSONField(_("group and score rules"), default=dict)
    migrant_quota = models.PositiveIntegerField(
        _("units for migrant households"), null=True, blank=True
    )
    frozen_list = models.TextField(_("frozen list (canonical JSON)"))
    list_sha256 = models.CharField(_("SHA-256 of the frozen list"), max_length=64)
    seed_commitment = models.CharField(_("seed commitment"), max_length=64)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    round_json = models.TextField(_("round.json"), blank=True)
    applicants = models.PositiveIntegerField(_("applicants"))
    units = models.PositiveIntegerField(_("units"))
    allocated = models.PositiveIntegerField(_("units allocated"), default=0)
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drawn by"),
    )

    class Meta:
        ordering = ["-frozen_at"]
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values),
                name="housing_round_status_valid",
            ),
            # The seed is revealed exactly when the round is drawn.
            models.CheckConstraint(
                condition=(
                    Q(status="frozen", seed="", round_json="", drawn_at__isnull=True)
                    | (
                        Q(status="drawn", drawn_at__isnull=False)
                        & ~Q(seed="")
                        & ~Q(round_json="")
                    )
                ),
                name="housing_round_seed_revealed_at_draw",
            ),
            # One frozen list at a time, so no household or unit is in two draws.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="frozen"),
                name="housing_one_frozen_round",
            ),
        ]

    def __str__(self) -> str:
        return self.id


class RoundSeal(models.Model):
    """The secret seed of a frozen round, sealed (see housing.sealing).

    Deleted at the draw, when the seed becomes public. No page, API, export or
    admin shows it.
    """

    round = models.OneToOneField(
        AllocationRound, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    nonce = models.CharField(max_length=32)
    sealed = models.CharField(max_length=64)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"seal of {self.round_id}"


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the household's answer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


LIVE_OFFER = Q(status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED])


class Offer(models.Model):
    """A unit offered to a household by a round's draw, and the answer.

    `version` grows with every change; an answer names the version it was
    given against, so of two officers answering at once only one succeeds.
    """

    round = models.ForeignKey(
        AllocationRound,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("round"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("application"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="offers", verbose_name=_("unit")
    )
    rank = models.PositiveIntegerField(_("rank in the round"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=OfferStatus.choices,
        default=OfferStatus.PENDING,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer recorded by"),
    )

    class Meta:
        ordering = ["round", "rank"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            # No unit goes to two households; no household holds two units.
            models.UniqueConstraint(
                fields=["unit"],
                condition=LIVE_OFFER,
                name="housing_one_live_offer_per_unit",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=LIVE_OFFER,
                name="housing_one_live_offer_per_household",
            ),
            models.UniqueConstraint(
                fields=["round", "application"], name="housing_offer_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values),
                name="housing_offer_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", answered_at__isnull=True)
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="housing_offer_answered_when_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.unit_id} → {self.application_id}"
