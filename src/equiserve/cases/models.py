"""Cases: an application under one programme, its assessments, decisions and deliveries.

A case moves through the statuses of `workflow`; every change goes through
`services` and raises `version` by one, so two officers acting on the same
version cannot both succeed. Assessments are frozen: the engine's inputs,
outputs, explanation and the parameter values it used are stored as they were.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from equiserve.cases.workflow import OPEN, Status
from equiserve.geography.models import Town
from equiserve.registry.models import Household, Person


class Case(models.Model):
    # A code of the plan's programmes.yaml: checked by the services against the
    # plan in force, not by a fixed list here, so the plan can add one (issue 11).
    programme = models.CharField(_("programme"), max_length=32)
    # The person the programme is about: the deceased for a funeral, the pupil
    # for the pupils' insurance. The registry's department scope reads this link.
    applicant = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("applicant"),
    )
    # The family member who applies on the applicant's behalf, when not the same.
    claimant = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_cases",
        verbose_name=_("applying on behalf"),
    )
    # Town and household as at registration: the case stays where it was filed.
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="+", verbose_name=_("town")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("household"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    applied_on = models.DateField(_("applied on"))
    facts = models.JSONField(_("facts stated"), default=dict, blank=True)
    documents = models.JSONField(_("documents received"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["town", "status"]),
            models.Index(fields=["programme", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="case_status_known"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="case_version_positive"
            ),
            # One open case per person and programme: a second application, an
            # import run twice, cannot double an entitlement.
            models.UniqueConstraint(
                fields=["applicant", "programme"],
                condition=Q(status__in=OPEN),
                name="case_one_open_per_applicant_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.programme}"

    @property
    def reference(self) -> str:
        return f"C{self.pk:06d}" if self.pk else "C——"


class Assessment(models.Model):
    """One run of the engine for a case, frozen with everything it used."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    evaluated_on = models.DateField(_("rules applied as on"))
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    plan = models.CharField(_("plan"), max_length=64)
    eligible = models.BooleanField(_("eligible"))
    # The engine's request ({"persons", "households"}), its answer for the
    # applicant (money in CNY), explanations {"zh": {...}, "en": {...}}, and the
    # parameters read, each with the value in force and its reference.
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    answer = models.JSONField(_("engine's answer"), default=dict, blank=True)
    explanations = models.JSONField(_("explanation"), default=dict, blank=True)
    parameters = models.JSONField(_("parameter values used"), default=dict, blank=True)
    # What an approval would grant: {"amount": "…"} and/or {"items": {code: limit}}.
    proposal = models.JSONField(_("proposed entitlement"), default=dict, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"assessment {self.pk} of case {self.case_id}"


class Decision(models.Model):
    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approved")
        FIRST_APPROVAL = "first_approval", _("First approval (needs a second officer)")
        REJECT = "reject", _("Rejected")
        RETURN = "return", _("Returned for more information")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    # The assessment decided on; none when a case is returned before one.
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    kind = models.CharField(_("decision"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="decision_has_reason"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="decision_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of case {self.case_id}"


class Entitlement(models.Model):
    """What an approval grants: an amount, service items with their limits, or both."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="entitlements"
    )
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="entitlement"
    )
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # {item code: most units free, or null for no limit}
    items = models.JSONField(_("service items"), default=dict, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second approval by"),
    )
    active = models.BooleanField(_("in force"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            # Maker–checker: the second approval is by somebody else.
            models.CheckConstraint(
                condition=Q(second_approved_by__isnull=True)
                | ~Q(second_approved_by=F("approved_by")),
                name="entitlement_checker_not_maker",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="entitlement_amount_not_negative",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(active=True),
                name="entitlement_one_active_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"entitlement {self.pk} of case {self.case_id}"


PAYMENT = "payment"


class PayeeKind(models.TextChoices):
    EMPLOYER = "employer", _("the employer")
    PERSON = "person", _("the person")


class Delivery(models.Model):
    """A payment made or a service delivered under a case's entitlement."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deliveries")
    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="deliveries"
    )
    item = models.CharField(_("item"), max_length=32)  # PAYMENT or a service code
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    delivered_on = models.DateField(_("delivered on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Whom a payment went to, for a programme that pays others than the applicant
    # (issue 15: the community employment subsidy goes to the employer or the
    # person); blank for every other payment and service.
    payee_kind = models.CharField(
        _("paid to"), max_length=8, choices=PayeeKind.choices, blank=True
    )
    payee_name = models.CharField(_("employer's name"), max_length=100, blank=True)
    payee_uscc = models.CharField(
        _("employer's unified social credit code"), max_length=18, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("payment or service")
        verbose_name_plural = _("payments and services")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="delivery_quantity_positive"
            ),
            models.CheckConstraint(
                condition=(Q(item=PAYMENT) & Q(amount__gt=0))
                | (~Q(item=PAYMENT) & Q(amount__isnull=True)),
                name="delivery_payment_has_amount",
            ),
            # An employer is named with its code; the person needs neither.
            models.CheckConstraint(
                condition=Q(payee_kind="", payee_name="", payee_uscc="")
                | Q(item=PAYMENT, payee_kind="person", payee_name="", payee_uscc="")
                | (
                    Q(item=PAYMENT, payee_kind="employer")
                    & ~Q(payee_name="")
                    & Q(payee_uscc__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$")
                ),
                name="delivery_payee_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity} for case {self.case_id}"


class Appeal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appeals")
    reason = models.TextField(_("grounds of the appeal"))
    lodged_on = models.DateField(_("lodged on"))
    previous_status = models.CharField(
        _("status appealed against"), max_length=16, choices=Status.choices
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="appeal_has_reason"),
        ]

    def __str__(self) -> str:
        return f"appeal {self.pk} of case {self.case_id}"
