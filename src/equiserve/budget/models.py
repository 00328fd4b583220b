"""Budget execution (clause 4.3): the estimate and the budget finance enters.

Committed and paid are not stored: they are read from the cases (decided
entitlements, payments and delivered items) whenever asked, so they never
drift from the casework (`selectors`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equiserve.geography.models import Town


class Funding(models.TextChoices):
    """Who pays, as the plan's programme data says (programmes.yaml `funding`)."""

    CITY = "city", _("City budget")
    TOWN = "town", _("Town budget")
    # The plan names both levels without a split (3.8): kept as one source.
    SHARED = "shared", _("City and town budgets")


class EstimateKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    FACILITY = "facility", _("Facility shortfall")
    PROJECT = "project", _("Project")


class BudgetLine(models.Model):
    """One version of the budget for a programme × town × funding source × year.

    Finance enters a new version for each change; the latest version is the
    budget, the earlier ones stay as they were (never updated).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    programme = models.CharField(_("programme"), max_length=32)
    # None: a city-wide line, not split by town.
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town"),
    )
    funding = models.CharField(_("funding source"), max_length=8, choices=Funding)
    version = models.PositiveIntegerField(_("version"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["year", "programme", "town", "funding", "version"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "programme", "town", "funding", "version"],
                name="budget_line_one_version",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budget_line_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2014) & Q(year__lte=2100),
                name="budget_line_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.programme} {self.town_id or 'city'} v{self.version}"


class Estimate(models.Model):
    """One estimated cost: a programme from the population run, a town's facility
    shortfall valued at unit costs, or a project's budget (clause 4.3)."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=EstimateKind)
    # A programme code, a facility standard's id or a project's code.
    code = models.CharField(_("code"), max_length=64)
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town"),
    )
    funding = models.CharField(_("funding source"), max_length=8, choices=Funding)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=16, decimal_places=2)
    # Units behind the amount (eligible persons, m², courts …), for the reader.
    units = models.DecimalField(
        _("units"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        ordering = ["year", "kind", "code", "town", "funding"]
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "code", "town", "funding"],
                name="estimate_one_per_key",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.code} {self.town_id or 'city'}"
