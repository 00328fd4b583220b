from django.shortcuts import render
from django.utils.translation import get_language

from equiserve.accounts.models import Department
from equiserve.portal.catalogue import load_catalogue


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
