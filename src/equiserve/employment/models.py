"""The labour register (3.7): employment status over time, unemployment
registration and its end, vacancies and referrals (issue 15).

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
