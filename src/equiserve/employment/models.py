"""The labour register (3.7): employment status over time, unemployment
registration and its end, vacancies and referrals; training bought by its
results; start-up support (issue 15).

Urban and rural, registered and migrant residents alike (城乡统一): a person's
urban or rural standing is where they live (a community is urban).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from equiserve.geography.models import Town
from equiserve.registry.models import Person


class Status(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    UNEMPLOYED = "unemployed", _("Registered unemployed")
    INACTIVE = "inactive", _("Not in the labour force")


class StatusSource(models.TextChoices):
    WINDOW = "window", _("Labour station window")
    REFERRAL = "referral", _("Referral outcome")
    SOCIAL_INSURANCE = "insurance", _("Social insurance record")
    SURVEY = "survey", _("Labour survey")


class EndReason(models.TextChoices):
    REEMPLOYED = "reemployed", _("Re-employed")
    LEFT = "left", _("Left the labour force")
    MOVED = "moved", _("Moved away")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    HIRED = "hired", _("Hired")
    DECLINED = "declined", _("Not hired")


class LabourStatus(models.Model):
    """A person's employment status from `since` until `until` (open: still so)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="labour_statuses"
    )
    status = models.CharField(_("employment status"), max_length=16, choices=Status)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=StatusSource)

    class Meta:
        verbose_name = _("employment status")
        verbose_name_plural = _("employment statuses")
        ordering = ["person_id", "since", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="labour_status_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status} {self.since}"


class Registration(models.Model):
    """An unemployment registration (失业登记) at a town's labour station, and its end."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="unemployment_registrations"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))
    registered_on = models.DateField(_("registered on"))
    occupation = models.CharField(_("occupation sought"), max_length=8)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    wage_min = models.DecimalField(
        _("lowest monthly wage sought"), max_digits=10, decimal_places=2
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=16, choices=EndReason, blank=True
    )

    class Meta:
        verbose_name = _("unemployment registration")
        verbose_name_plural = _("unemployment registrations")
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_on__gte=F("registered_on")) & ~Q(end_reason="")),
                name="registration_end_has_date_and_reason",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="registration_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.registered_on}"


class Vacancy(models.Model):
    """A vacancy an employer posts: occupation (middle group), town, wage, hours."""

    employer = models.CharField(_("employer"), max_length=100)
    title = models.CharField(_("job title"), max_length=100)
    occupation = models.CharField(_("occupation"), max_length=8)
    skills = models.CharField(_("skills asked"), max_length=200, blank=True)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))
    wage = models.DecimalField(_("monthly wage"), max_digits=10, decimal_places=2)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"))
    positions = models.PositiveSmallIntegerField(_("positions"), default=1)
    posted_on = models.DateField(_("posted on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-posted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wage__gte=0) & Q(positions__gte=1),
                name="vacancy_wage_and_positions",
                violation_error_message=_(
                    "A vacancy needs a wage of 0 or more and at least one position."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer}: {self.title}"


class Referral(models.Model):
    """A registered job seeker referred to a vacancy, and the outcome."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="referrals"
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="referrals"
    )
    referred_on = models.DateField(_("referred on"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome, default=Outcome.PENDING
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "vacancy"], name="referral_once_per_vacancy"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.vacancy_id}"


class TrainingProvider(models.Model):
    """A training provider the bureau designates (定点培训机构), in the town it works from."""

    name = models.CharField(_("training provider"), max_length=100, unique=True)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))
    approved_on = models.DateField(_("approved on"))
    approval_ends = models.DateField(_("approval ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_ends__isnull=True)
                | Q(approval_ends__gt=F("approved_on")),
                name="training_provider_approval_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def approved(self, day) -> bool:
        """Return whether the provider is designated on `day`."""
        return self.approved_on <= day and (
            self.approval_ends is None or day < self.approval_ends
        )


class TrainingCourse(models.Model):
    """A course a provider runs towards a vocational certificate in an occupation."""

    provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("course"), max_length=100)
    occupation = models.CharField(_("occupation"), max_length=8)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    places = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")) & Q(places__gte=1),
                name="training_course_dates_and_places",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider.name}: {self.title}"


class Enrolment(models.Model):
    """A resident enrolled on a course at their town's labour station; completion and
    the vocational certificate (职业资格证书) that makes them a certified completer."""

    course = models.ForeignKey(
        TrainingCourse, on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="training_enrolments"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))
    enrolled_on = models.DateField(_("enrolled on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=40, blank=True
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person"], name="enrolment_once_per_course"
            ),
            models.CheckConstraint(
                condition=(
                    Q(certified_on__isnull=True, certificate_number="")
                    | (
                        Q(completed_on__isnull=False)
                        & Q(certified_on__gte=F("completed_on"))
                        & ~Q(certificate_number="")
                    )
                ),
                name="enrolment_certificate_after_completion",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(completed_on__gte=F("enrolled_on")),
                name="enrolment_completed_after_enrolled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.course_id}"


class TrainingPayment(models.Model):
    """The training ledger: one payment to the provider per certified completer.

    One-to-one with the enrolment: a completer is paid for once, and the database
    refuses a second payment even when two requests race (issue 15).
    """

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="payment"
    )
    provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="payments"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))

    class Meta:
        verbose_name = _("training payment")
        verbose_name_plural = _("training payments")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="training_payment_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.amount} ({self.enrolment_id})"


class IncubationBase(models.Model):
    """A town's start-up incubation base (创业孵化基地)."""

    name = models.CharField(_("incubation base"), max_length=100)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))
    opened_on = models.DateField(_("opened on"))
    places = models.PositiveSmallIntegerField(_("places for start-ups"))

    class Meta:
        verbose_name = _("incubation base")
        verbose_name_plural = _("incubation bases")
        ordering = ["town_id", "name"]

    def __str__(self) -> str:
        return self.name


class StartupSubsidy(models.Model):
    """A one-off start-up subsidy (一次性创业补贴): once per person."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="startup_subsidy"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))
    base = models.ForeignKey(
        IncubationBase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("incubation base"),
    )
    business = models.CharField(_("business"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    granted_on = models.DateField(_("granted on"))

    class Meta:
        verbose_name = _("start-up subsidy")
        verbose_name_plural = _("start-up subsidies")
        ordering = ["-granted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="startup_subsidy_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.business}"


class RepaymentMethod(models.TextChoices):
    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal")
    ANNUITY = "annuity", _("Equal instalments (annuity)")


class GuaranteedLoan(models.Model):
    """A small guaranteed start-up loan (小额担保贷款) and its repayment schedule."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="guaranteed_loans"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))
    base = models.ForeignKey(
        IncubationBase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("incubation base"),
    )
    business = models.CharField(_("business"), max_length=100)
    principal = models.DecimalField(_("principal"), max_digits=10, decimal_places=2)
    annual_rate = models.DecimalField(
        _("annual interest rate"), max_digits=6, decimal_places=5
    )
    months = models.PositiveSmallIntegerField(_("term in months"))
    method = models.CharField(
        _("repayment method"), max_length=16, choices=RepaymentMethod
    )
    granted_on = models.DateField(_("granted on"))

    class Meta:
        verbose_name = _("guaranteed loan")
        verbose_name_plural = _("guaranteed loans")
        ordering = ["-granted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal__gt=0)
                & Q(annual_rate__gte=0)
                & Q(annual_rate__lt=1)
                & Q(months__gte=1)
                & Q(months__lte=120),
                name="guaranteed_loan_terms",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.principal}"


class LoanInstalment(models.Model):
    """One instalment of a guaranteed loan's schedule with its interest subsidy."""

    loan = models.ForeignKey(
        GuaranteedLoan, on_delete=models.CASCADE, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    outstanding = models.DecimalField(
        _("principal owed"), max_digits=10, decimal_places=2
    )
    principal = models.DecimalField(
        _("principal repaid"), max_digits=10, decimal_places=2
    )
    interest = models.DecimalField(_("interest"), max_digits=10, decimal_places=2)
    subsidy = models.DecimalField(
        _("interest subsidy"), max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = _("loan instalment")
        verbose_name_plural = _("loan instalments")
        ordering = ["loan_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "number"], name="loan_instalment_once"
            ),
            models.CheckConstraint(
                condition=Q(subsidy__gte=0) & Q(subsidy__lte=F("interest")),
                name="loan_instalment_subsidy_within_interest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} #{self.number}"
