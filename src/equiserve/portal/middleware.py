from django.conf import settings
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    """Activate the language the user chose (cookie or ?lang=), else Chinese.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is ignored:
    an intranet browser set to English still opens the Chinese-first site.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.GET.get("lang") or request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME
        )
        language = (language or "").lower().replace("_", "-")
        if language in {"zh", "zh-cn"}:
            language = "zh-hans"
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
