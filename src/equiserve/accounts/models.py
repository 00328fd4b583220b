"""Who a user is for the system: a role, and a department or town where it applies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equiserve.geography.models import Town


class Role(models.TextChoices):
    OFFICE = "office", _("Coordinating office")
    DEPARTMENT = "department", _("Department officer")
    TOWN = "town", _("Town officer")
    HEALTH = "health", _("Health officer")
    AUDITOR = "auditor", _("Auditor")
    # Plans the money (clause 4.3): writes budgets, reads cases (issue 18).
    FINANCE = "finance", _("Finance Bureau officer")


class Department(models.TextChoices):
    """The plan's lead departments (catalogue, section 3)."""

    EDUCATION = "education", _("Education Bureau")
    CULTURE = "culture", _("Culture Bureau")
    HEALTH = "health", _("Health and Family Planning Bureau")
    CIVIL_AFFAIRS = "civil-affairs", _("Civil Affairs Bureau")
    HR_SOCIAL_SECURITY = (
        "hr-social-security",
        _("Human Resources and Social Security Bureau"),
    )
    HOUSING = "housing", _("Housing and Urban-Rural Development Bureau")
    SPORTS = "sports", _("Sports Bureau")
    DISABLED_FEDERATION = "disabled-federation", _("Disabled Persons' Federation")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    department = models.CharField(
        _("department"), max_length=32, choices=Department.choices, blank=True
    )
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("town")
    )
    # Demo accounts carry a published password; they only log in in demo mode.
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="town") | Q(town__isnull=False),
                name="profile_town_officer_has_town",
            ),
            models.CheckConstraint(
                condition=~Q(role="department") | ~Q(department=""),
                name="profile_department_officer_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored.

    A token serves only while the account stays as it was when the token was
    issued (`account_state`: password, active flag, role and reach, demo flag),
    until it expires or is revoked (issue 10, finding 6).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_sha256 = models.CharField(max_length=64, unique=True)
    account_state = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return (
            f"token {self.pk} of {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"
        )
