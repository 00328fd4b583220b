"""Who may act on which API tokens: their owner, and nobody else through the API."""

from django.http import Http404

from equiserve.accounts.models import ApiToken
from equiserve.accounts.selectors import api_token_list


def access_api_token(user, token_id: int) -> ApiToken:
    """Return the user's live token `token_id`; any other id is the same 404."""
    token = api_token_list(user).filter(pk=token_id).first()
    if token is None:
        raise Http404("no such token")
    return token
