from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DemoAwareModelBackend(ModelBackend):
    """Refuse demo accounts, whose passwords are published, outside demo mode."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        profile = getattr(user, "profile", None)
        return settings.DEMO_MODE or profile is None or not profile.is_demo


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuse logins of a locked-out user name or address (issue 10, finding 10).

    Every login that comes over the network, web form, admin or API token, passes
    its request to authenticate(). A call without a request comes from inside the
    process (Django's test client, a shell): it has no address to count, so it is
    left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )
