"""The account area: the API tokens a user holds, and their revocation (issue 10, finding 6)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from equiserve.accounts.models import ApiToken
from equiserve.accounts.permissions import access_api_token
from equiserve.accounts.selectors import api_token_list
from equiserve.accounts.services import api_tokens_revoke, api_tokens_revoke_all


@login_required
@require_GET
def api_tokens(request):
    """List the user's API tokens that still serve."""
    hours = int(settings.API_TOKEN_LIFETIME.total_seconds() // 3600)
    context = {"tokens": api_token_list(request.user), "lifetime_hours": hours}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def api_tokens_revoke_view(request):
    """Revoke one of the user's tokens (`token` = its id) or all of them (`all`)."""
    choice = request.POST.get("token", "")
    if choice == "all":
        count = api_tokens_revoke_all(
            user=request.user, actor=request.user, request=request
        )
    else:
        if not choice.isdigit():
            raise Http404("no such token")
        token = access_api_token(request.user, int(choice))
        count = api_tokens_revoke(
            tokens=ApiToken.objects.filter(pk=token.pk),
            actor=request.user,
            request=request,
        )
    messages.success(
        request,
        ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
        % {"count": count},
    )
    return redirect("accounts:tokens")
