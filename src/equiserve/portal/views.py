from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from equiserve.accounts.models import Department
from equiserve.portal.catalogue import load_catalogue
from equiserve.portal.start import start_actions, start_queues


def _language_key() -> str:
    return "zh" if (get_language() or "zh-hans").startswith("zh") else "en"


def home(request):
    """Present the plan: its domains and items by clause, each with its lead department."""
    return render(
        request,
        "portal/home.html",
        {
            "catalogue": load_catalogue(),
            "lang_key": _language_key(),
            "departments": dict(Department.choices),
        },
    )


@login_required
@require_safe
def start(request):
    """Show the user's work queue: counts per task, each item linked (issue 14)."""
    role, queues = start_queues(request.user)
    context = {"role": role, "queues": queues, "actions": start_actions(request.user)}
    return render(request, "portal/start.html", context)


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Serve the project's icon where browsers look for it (issue 14, deliverable 10)."""
    icon = settings.PACKAGE_DIR / "static" / "equiserve" / "favicon.ico"
    return FileResponse(icon.open("rb"), content_type="image/x-icon")
