"""Pages of public rental housing: officers' lists and forms, and public rounds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equiserve.housing import permissions, publication, selectors, services
from equiserve.housing.assessment import ranking_dir, ranking_for
from equiserve.housing.forms import AnswerForm, ApplicationForm, RoundForm
from equiserve.housing.models import ApplicationStatus, RoundStatus
from equiserve.housing.ranking import rankings

PAGE_SIZE = 100


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


@login_required
@require_GET
def waiting_list(request):
    """Show the waiting list in the user's scope: positions and their reasons."""
    permissions.require_reader(request.user)
    entries = selectors.waiting_list(user=request.user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "ranking": ranking_for(),
        "decides": permissions.decides(request.user),
    }
    return render(request, "housing/waiting_list.html", context)


@login_required
@require_GET
def application_list(request):
    """List the applications in the user's scope, by status."""
    permissions.require_reader(request.user)
    status = request.GET.get("status", "")
    applications = selectors.application_list(user=request.user, status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": ApplicationStatus.choices}
    return render(request, "housing/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request):
    """File a household's application; the engine assesses it at once."""
    permissions.require_decider(request.user)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                household=form.cleaned_data["household"],
                applicant=form.cleaned_data["applicant"],
                submitted_on=form.cleaned_data["submitted_on"],
                preferences=form.preferences(),
                disability=form.cleaned_data["disability"],
                actor=request.user,
                request=request,
            )
        except services.HousingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("housing:application", pk=application.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "housing/application_form.html", {"form": form}, status=status
    )


@login_required
@require_GET
def application_detail(request, pk: int):
    """Show an application: eligibility and why, its place on the list, offers."""
    application = permissions.access_application(request.user, pk)
    context = {
        "application": application,
        "explanation": application.explanation.get(_lang(), {}),
        "entry": selectors.waiting_entry(application),
        "preferences": selectors.application_preferences(application),
        "offers": selectors.application_offers(application),
        "round_references": selectors.application_round_references(application),
        "decides": permissions.decides(request.user),
        "ranking": ranking_for(),
    }
    return render(request, "housing/application_detail.html", context)


@login_required
@require_POST
def application_reassess(request, pk: int):
    """Assess an application again today (after the registry changed)."""
    application = permissions.access_application(request.user, pk)
    permissions.require_decider(request.user)
    try:
        services.application_reassess(
            application=application,
            date=timezone.localdate(),
            actor=request.user,
            request=request,
        )
    except services.HousingError as error:
        messages.error(request, str(error))
    return redirect("housing:application", pk=pk)


@login_required
@require_POST
def offer_answer(request, pk: int):
    """Record a household's answer to an offer; 409 if someone answered first.

    htmx gets the offer's row back (with the message on a 409); a plain form
    post is redirected to the application, the message shown there.
    """
    offer = permissions.access_offer(request.user, pk)
    permissions.require_decider(request.user)
    form = AnswerForm(request.POST)
    status, error = 200, ""
    htmx = request.headers.get("HX-Request") == "true"
    if not form.is_valid():
        status, error = 422, _("Choose accept or refuse.")
    elif not request.POST.get("confirmed"):
        # Say what the answer will do before recording it (issue 14, deliverable 4).
        context = {
            "offer": offer,
            "decides": True,
            "confirm": answer_confirmation(offer, form.cleaned_data, htmx=htmx),
        }
        template = "housing/_offer.html" if htmx else "housing/offer_confirm.html"
        return render(request, template, context)
    else:
        try:
            offer = services.offer_answer(
                offer_id=offer.pk,
                answer=form.cleaned_data["answer"],
                version=form.cleaned_data["version"],
                actor=request.user,
                request=request,
            )
        except services.OfferConflict as conflict:
            status, error, offer = 409, str(conflict), conflict.offer
        except services.HousingError as refused:
            status, error = 409, str(refused)
    if not htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("The household's answer is recorded."))
        return redirect("housing:application", pk=offer.application_id)
    context = {"offer": offer, "error": error, "decides": True}
    return render(request, "housing/_offer.html", context, status=status)


def answer_confirmation(offer, data: dict, *, htmx: bool) -> dict:
    """Return the confirmation step of an answer to an offer, in words."""
    unit = f"{offer.unit.code} ({offer.unit.estate.name})"
    if data["answer"] == "accept":
        title = _("Record that the household accepts %(unit)s?") % {"unit": unit}
        lines = [
            _(
                "The unit is let to the household and its application leaves the "
                "waiting list as housed."
            )
        ]
        button = _("Yes, record the acceptance")
    else:
        title = _("Record that the household refuses %(unit)s?") % {"unit": unit}
        lines = [
            _(
                "The unit is freed for a later round and the refusal is counted; "
                "past the ranking's limit of refusals the household moves down."
            )
        ]
        button = _("Yes, record the refusal")
    action = reverse("housing:offer_answer", args=[offer.pk])
    return {
        "title": title,
        "lines": lines,
        "button": button,
        "action": action,
        "target": f"#offer-{offer.pk}" if htmx else "",
        "back_url": reverse("housing:application", args=[offer.application_id]),
        "fields": [("answer", data["answer"]), ("version", data["version"])],
    }


@login_required
@require_GET
def stock(request):
    """Show the estates and their units."""
    permissions.require_reader(request.user)
    estate = request.GET.get("estate", "")
    context = {
        "estates": selectors.estate_list(),
        "units": selectors.unit_list(estate=estate),
        "estate": estate,
    }
    return render(request, "housing/stock.html", context)


@require_GET
def round_list(request):
    """List the rounds with their published hashes (public)."""
    context = {
        "rounds": selectors.round_list(),
        "decides": permissions.decides(request.user),
    }
    return render(request, "housing/round_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    """Freeze a round: the list and the units, the two hashes published."""
    permissions.require_decider(request.user)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            frozen = services.round_freeze(
                round_id=form.cleaned_data["round_id"],
                title=form.cleaned_data["title"],
                as_of=form.cleaned_data["as_of"],
                migrant_quota=form.quota(),
                actor=request.user,
                request=request,
            )
        except services.HousingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("housing:round", round_id=frozen.id)
    status = 422 if request.method == "POST" else 200
    return render(request, "housing/round_form.html", {"form": form}, status=status)


@require_GET
def round_detail(request, round_id: str):
    """Show a round to anyone: hashes, seed once drawn, the list with people masked."""
    round_ = selectors.round_get(round_id)
    page = Paginator(publication.round_records(round_), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "round": round_,
        "page": page,
        "rows": publication.public_rows(round_, list(page), lang=_lang()),
        "ranking": rankings(ranking_dir()).get(round_.ranking_version),
        "drawn": round_.status == RoundStatus.DRAWN,
        "decides": permissions.decides(request.user),
    }
    return render(request, "housing/round_detail.html", context)


@require_GET
def round_list_json(request, round_id: str):
    """Return the frozen list, byte for byte what list_sha256 hashes (public)."""
    round_ = selectors.round_get(round_id)
    return _download(round_.frozen_list, f"{round_.id}-list.json")


@require_GET
def round_json(request, round_id: str):
    """Return round.json once the round is drawn (public); 404 before."""
    round_ = selectors.round_get(round_id)
    if round_.status != RoundStatus.DRAWN:
        return HttpResponse(
            _("The round has not been drawn yet."),
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    return _download(round_.round_json, f"{round_.id}-round.json")


def _download(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        text.encode("utf-8"), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_POST
def round_draw(request, round_id: str):
    """Draw a frozen round: reveal the seed, allocate, make the offers."""
    permissions.require_decider(request.user)
    if not request.POST.get("confirmed"):
        # Say what the draw will do before it is done (issue 14, deliverable 4).
        return render(
            request,
            "housing/round_draw_confirm.html",
            draw_confirmation(request, selectors.round_get(round_id)),
        )
    try:
        drawn = services.round_draw(
            round_id=round_id, actor=request.user, request=request
        )
    except services.HousingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Round %(round)s drawn: %(allocated)s allocated, offers made.")
            % {"round": drawn.id, "allocated": _units(drawn.allocated)},
        )
    return redirect("housing:round", round_id=round_id)


def _units(count: int) -> str:
    """Return a count of housing units in words: "1 unit", "4 units", "4 套" (issue 14)."""
    return ngettext("%(count)s unit", "%(count)s units", count) % {"count": count}


def draw_confirmation(request, round_) -> dict:
    """Return the confirmation step of a draw: what it does, in words."""
    households = len(publication.round_records(round_))
    return {
        "round": round_,
        "confirm": {
            "title": _("Draw round %(round)s?") % {"round": round_.id},
            "lines": [
                _("%(households)s on the frozen list compete for %(units)s.")
                % {
                    "households": ngettext(
                        "%(count)s household", "%(count)s households", households
                    )
                    % {"count": households},
                    "units": _units(round_.units),
                },
                _(
                    "The secret seed is revealed and published; the list is ranked "
                    "by the published ranking, ties broken by the seed."
                ),
                _(
                    "Units are allocated down the ranking and an offer is made to "
                    "each household allocated one; the others stay on the waiting "
                    "list."
                ),
            ],
            "button": _("Yes, draw the round now"),
            "action": reverse("housing:round_draw", args=[round_.id]),
            "target": "",
            "back_url": reverse("housing:round", args=[round_.id]),
            "fields": [],
        },
    }


@require_GET
def ranking(request):
    """Show every published ranking version (public)."""
    context = {"rankings": list(rankings(ranking_dir()).values())[::-1]}
    return render(request, "housing/ranking.html", context)
