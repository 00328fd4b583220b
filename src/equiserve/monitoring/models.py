"""Entered indicator values and the half-yearly progress reports (clause 4.2).

Indicator definitions are not models: they are data files in the plan
(`definitions.py`). Only what people write is stored here: values entered by
hand for terms no registry holds yet, and the reports with their narrative,
their frozen figures and every step of their review.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equiserve.accounts.models import Department
from equiserve.geography.models import Town


class Role(models.TextChoices):
    NUMERATOR = "numerator", _("Numerator")
    DENOMINATOR = "denominator", _("Denominator")


class IndicatorEntry(models.Model):
    """A numerator or denominator entered by hand for one place and period."""

    indicator = models.CharField(_("indicator"), max_length=64)
    role = models.CharField(_("term"), max_length=16, choices=Role.choices)
    period = models.CharField(_("period"), max_length=6)
    # "city" or a town's 9-digit code.
    place = models.CharField(_("place"), max_length=12)
    # A group of the term's split ("zhongshan", "elsewhere"), or "" for the total.
    group = models.CharField(_("group"), max_length=32, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        ordering = ["indicator", "period", "place", "role", "group"]
        verbose_name = _("entered indicator value")
        verbose_name_plural = _("entered indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "role", "period", "place", "group"],
                name="indicator_entry_one_value",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="indicator_entry_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["numerator", "denominator"]),
                name="indicator_entry_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.role} {self.period} {self.place}: {self.value}"


class Report(models.Model):
    """One department's or one town's progress report for one half-year."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department report")
        TOWN = "town", _("Town report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")

    period = models.CharField(_("period"), max_length=6)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    department = models.CharField(
        _("department"), max_length=32, choices=Department.choices, blank=True
    )
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_reports",
        verbose_name=_("town"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # Times submitted; each submission freezes the figures and keeps a snapshot.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    due_on = models.DateField(_("due on"))
    first_submitted_at = models.DateTimeField(
        _("first submitted at"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    review_comment = models.TextField(_("office's comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["period", "kind", "department", "town_id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "department"],
                condition=Q(kind="department"),
                name="report_one_per_department_period",
            ),
            models.UniqueConstraint(
                fields=["period", "town"],
                condition=Q(kind="town"),
                name="report_one_per_town_period",
            ),
            models.CheckConstraint(
                condition=(Q(kind="department", town__isnull=True) & ~Q(department=""))
                | Q(kind="town", town__isnull=False, department=""),
                name="report_author_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "approved"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="report_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.author_code}"

    @property
    def author_code(self) -> str:
        return self.department if self.kind == self.Kind.DEPARTMENT else self.town_id

    @property
    def editable(self) -> bool:
        """Drafts and returned reports may be changed; submitted and approved not."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def frozen(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED)


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_SCHEDULE = "on_schedule", _("On schedule")
    BEHIND = "behind", _("Behind schedule")
    COMPLETED = "completed", _("Completed")


class ReportItem(models.Model):
    """The narrative of one plan item in a report."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="items", verbose_name=_("report")
    )
    clause = models.CharField(_("clause"), max_length=16)
    status = models.CharField(
        _("item status"), max_length=16, choices=ItemStatus.choices, blank=True
    )
    progress = models.TextField(_("progress"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)

    class Meta:
        ordering = ["report", "clause"]
        verbose_name = _("report item")
        verbose_name_plural = _("report items")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "clause"], name="report_item_one_per_clause"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["", "not_started", "on_schedule", "behind", "completed"]
                ),
                name="report_item_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.clause}"


class ReportFigure(models.Model):
    """An indicator value as it stood when the report was submitted."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("report"),
    )
    indicator = models.CharField(_("indicator"), max_length=64)
    place = models.CharField(_("place"), max_length=12)
    # A group of the indicator's registered/migrant split, or "" for the total.
    group = models.CharField(_("group"), max_length=32, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    status = models.CharField(_("target status"), max_length=16, blank=True)

    class Meta:
        ordering = ["report", "indicator", "place", "group"]
        verbose_name = _("report figure")
        verbose_name_plural = _("report figures")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator", "place", "group"],
                name="report_figure_one_per_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.indicator} {self.place}: {self.value}"


class ReportEvent(models.Model):
    """One step in a report's history; a submission keeps a snapshot of the report."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SAVED = "saved", _("Saved")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("report"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"))
    revision = models.PositiveIntegerField(_("revision"), default=0)
    comment = models.TextField(_("comment"), blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report} {self.action} {self.at:%Y-%m-%d %H:%M}"


class DataVersion(models.Model):
    """The version of the data indicator values are computed from (one row).

    Every change that marks values stale takes the next number; a value keeps
    the number it was computed at, so a page can say which data it shows and a
    recomputation never clears a mark made after it began (issue 13).
    """

    number = models.PositiveBigIntegerField(_("data version"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return str(self.number)


class IndicatorValue(models.Model):
    """One indicator's value for a place, period and group, kept for the pages.

    Pages read these and never compute; the worker (`tasks.py`) recomputes the
    values a change marked stale (`pending_version` set) and fills missing ones.
    """

    indicator = models.CharField(_("indicator"), max_length=64)
    period = models.CharField(_("period"), max_length=6)
    # "city", a town's 9-digit code or a village's 12-digit code.
    place = models.CharField(_("place"), max_length=12)
    # The split (hukou, urban_rural, sex, age_band) and its group; "" for the total.
    by = models.CharField(_("split"), max_length=16, blank=True)
    group = models.CharField(_("group"), max_length=32, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    # People or households whose rule outcome is unknown, reported apart.
    numerator_undetermined = models.FloatField(
        _("numerator undetermined"), null=True, blank=True
    )
    denominator_undetermined = models.FloatField(
        _("denominator undetermined"), null=True, blank=True
    )
    # The data version computed from; None while never computed.
    version = models.PositiveBigIntegerField(_("data version"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    # False when the computation gave no value for this key (a place the source
    # does not count): kept so that pages do not enqueue it again and again.
    answered = models.BooleanField(_("answered"), default=True)
    # The data version of the latest change not yet reflected; None when fresh.
    # The worker clears it only if it computed from that version or a later one.
    pending_version = models.PositiveBigIntegerField(
        _("pending data version"), null=True, blank=True
    )

    class Meta:
        ordering = ["indicator", "period", "place", "by", "group"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "place", "by", "group"],
                name="indicator_value_one_per_key",
            ),
            models.CheckConstraint(
                condition=Q(version__isnull=False) | Q(pending_version__isnull=False),
                name="indicator_value_computed_or_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["by", "period", "place"], name="indicator_value_read"),
            models.Index(
                fields=["pending_version"],
                condition=Q(pending_version__isnull=False),
                name="indicator_value_stale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} {self.place} {self.by}:{self.group}"

    @property
    def updating(self) -> bool:
        return self.pending_version is not None


class TownRegistryChange(models.Model):
    """The data version of each town's latest registry change.

    The monitoring worker keeps each town's fitness-circle tallies between
    runs and reads a town's persons again only when its change is newer than
    the tallies (issue 13): a change in one town no longer rereads the city.
    """

    town = models.CharField(_("town"), max_length=9, primary_key=True)
    version = models.PositiveBigIntegerField(_("data version"))

    class Meta:
        verbose_name = _("registry change of a town")
        verbose_name_plural = _("registry changes of towns")

    def __str__(self) -> str:
        return f"{self.town}: {self.version}"
