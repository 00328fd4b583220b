"""Keep answers that may hold personal data out of every cache (issue 10, finding 12).

Pages a signed-in officer sees and every API answer may carry names, ID
numbers and case details; a shared computer's browser cache or an intranet
proxy must not keep them. Public pages and static files stay cacheable.
"""

from django.utils.cache import patch_cache_control

API_PREFIX = "/api/"


class NoStoreMiddleware:
    """Mark every authenticated response and every /api/ response `no-store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(API_PREFIX) or getattr(
            user, "is_authenticated", False
        ):
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response
