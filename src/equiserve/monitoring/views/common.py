"""What every monitoring view does first: check the role, read ?period=."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from equiserve.monitoring import permissions
from equiserve.monitoring.periods import UnknownPeriod, current_period, period_get

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_from(request, default=None):
    """Return the period named by ?period=, else the latest ended one."""
    text = request.GET.get("period") or request.POST.get("period") or default
    return period_get(text) if text else current_period()


def monitoring_view(view):
    """Require a logged-in user with a role; a bad ?period= is a 400."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.reads_monitoring(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except UnknownPeriod:
            return HttpResponseBadRequest(
                _("The period must be a half-year of the plan, 2014H1 to 2016H2.")
            )

    return wrapper


def lang_of(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "zh-hans")
