"""What a locked-out login gets: the login page or the API's error, in the user's language."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins for this user name or from this address. "
        "Try again in %(minutes)d minutes."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """Answer 429 with the lockout message: JSON for the API, else the login page."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path_info.startswith(API_PREFIX):
        # The API's error format: a sentence, and no single input to blame.
        return JsonResponse(
            {"detail": lockout_message(), "errors": []},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "lockout": lockout_message()},
        status=status,
    )
