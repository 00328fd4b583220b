"""The public screener: "Which public services can I get?" (no login, nothing stored)."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from equiserve.rules.forms import ScreenerForm
from equiserve.rules.screener import screen


def _lang() -> str:
    return "zh" if (get_language() or "zh-hans").startswith("zh") else "en"


@never_cache
@require_http_methods(["GET", "POST"])
def screener(request):
    """Ask the questions; on a POST, show each service and why (answers are not kept)."""
    if request.method == "GET":
        form = ScreenerForm(today=timezone.localdate())
        return _render(request, form, show_errors=False)
    form = ScreenerForm(request.POST, today=timezone.localdate())
    screening = screen(form, _lang()) if form.is_valid() else None
    return _render(request, form, show_errors=True, screening=screening)


def _render(request, form, *, show_errors, screening=None):
    context = {
        "form": form,
        "follow_ups": form.follow_ups(),
        "date_warning": form.date_warning(),
        "show_errors": show_errors,
        "screening": screening,
    }
    return render(request, "rules/screener.html", context)
