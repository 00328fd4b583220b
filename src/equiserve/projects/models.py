"""The plan's construction and reform projects, tracked to the milestone (issue 17).

Clauses 3.1.3, 3.2.1, 3.2.2, 3.7, 3.8 and 3.9 ask for things to be built,
integrated or transferred rather than paid to people. A project has a lead
department (the one that reports it every half year, clause 4.2), a budget and
its spending exact to the fen (clause 4.3), and dated milestones.
"""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from equiserve.accounts.models import Department
from equiserve.geography.models import Town

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*\Z", _("Use lowercase letters, digits and hyphens only.")
)


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class FundingSource(models.TextChoices):
    """Who pays (clause 4.3): the city budget or the town's."""

    CITY = "city", _("City budget")
    TOWN = "town", _("Town budget")


class Project(models.Model):
    code = models.CharField(
        _("project code"), max_length=32, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    clause = models.CharField(_("clause"), max_length=8)
    lead_department = models.CharField(
        _("lead department"), max_length=32, choices=Department.choices
    )
    # None: a city-wide project; else the town where it is built.
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town"),
    )
    funding_source = models.CharField(
        _("funding source"),
        max_length=8,
        choices=FundingSource.choices,
        default=FundingSource.CITY,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNED,
    )
    budget = models.DecimalField(
        _("budget (CNY)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    description = models.TextField(_("description"), blank=True)
    # Dates and budgets the plan does not state are illustrative (demo data).
    illustrative = models.BooleanField(
        _("dates and budget illustrative"), default=False
    )

    class Meta:
        ordering = ["clause", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="project_budget_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["planned", "in-progress", "completed", "suspended"]
                ),
                name="project_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(funding_source__in=["city", "town"]),
                name="project_funding_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.clause})"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    LATE = "late", _("Late")


class Milestone(models.Model):
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("project"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_date = models.DateField(_("planned completion"))
    actual_date = models.DateField(_("actual completion"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PENDING,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["project__code", "position", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_date__gte=F("planned_start")),
                name="milestone_planned_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(actual_date__isnull=False),
                name="milestone_done_has_actual_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "done", "late"]),
                name="milestone_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.name}"


class Spending(models.Model):
    """Money paid out on a project, exact to the fen."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="spendings",
        verbose_name=_("project"),
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spendings",
        verbose_name=_("milestone"),
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["project__code", "paid_on", "pk"]
        verbose_name = _("spending")
        verbose_name_plural = _("spendings")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="spending_amount_gt_0"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.paid_on} {self.amount}"


class ProjectDocument(models.Model):
    """A document on file for a project: its title, reference and date.

    An uploaded file is kept in the database itself (like an imported road
    network), so it is in every backup and served only through the project's
    permission check; older entries hold only a reference (文号) and a place.
    """

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("document number"), max_length=64, blank=True)
    issued_on = models.DateField(_("date"))
    url = models.CharField(_("location"), max_length=300, blank=True)
    # The uploaded file: its name as uploaded (no path), the type read from its
    # content, its bytes and their SHA-256; empty for a reference-only entry.
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    content = models.BinaryField(_("content"), blank=True, default=b"")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), null=True, blank=True)

    class Meta:
        ordering = ["project__code", "issued_on", "pk"]
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(filename="") | (Q(size__gt=0) & ~Q(sha256="")),
                name="project_document_file_has_size_and_hash",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_file(self) -> bool:
        return bool(self.filename)
