"""Pages of budget execution: the year's table, entering a budget, the XLSX export."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from equiserve.budget import exports, presentation
from equiserve.budget.forms import BudgetLineForm
from equiserve.budget.permissions import (
    budget_reach,
    require_budget_writer,
    writes_budget,
)
from equiserve.budget.selectors import execution
from equiserve.budget.services import budget_line_enter
from equiserve.formatting import town_name

DEFAULT_YEAR = 2015
YEARS = (2014, 2015, 2016)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", DEFAULT_YEAR))
    except ValueError:
        return DEFAULT_YEAR
    return year if year in YEARS else DEFAULT_YEAR


def _execution(request):
    towns, programmes = budget_reach(request.user)
    return execution(_year(request), towns=towns, programmes=programmes)


@login_required
def overview(request):
    result = _execution(request)
    return render(
        request,
        "budget/overview.html",
        {
            "execution": result,
            "domains": presentation.by_domain(result),
            "facilities": [
                {
                    "estimate": e,
                    "standard": presentation.standard_label(e.code),
                    "town": town_name(e.town_id),
                }
                for e in result.facilities
            ],
            "years": YEARS,
            "writes": writes_budget(request.user),
            "form": BudgetLineForm(user=request.user, initial={"year": result.year}),
        },
    )


@login_required
@require_POST
def enter(request):
    require_budget_writer(request.user)
    form = BudgetLineForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            line = budget_line_enter(
                year=data["year"],
                programme=data["programme"],
                town_code=data["town"].code if data["town"] else None,
                funding=data["funding"],
                amount=data["amount"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(
                request, _("Budget entered: version %(v)s.") % {"v": line.version}
            )
        return redirect(f"{reverse('budget:overview')}?year={data['year']}")
    messages.error(
        request, _("The budget was not entered: check the amount and fields.")
    )
    return redirect("budget:overview")


@login_required
def export_xlsx(request):
    result = _execution(request)
    response = HttpResponse(
        exports.workbook_bytes(result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = dt.date.today().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="budget-execution-{result.year}-{stamp}.xlsx"'
    )
    return response
