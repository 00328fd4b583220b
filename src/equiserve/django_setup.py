"""Start Django from the command line, once."""

import os

_started = False


def setup_django() -> None:
    global _started
    if _started:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equiserve.settings")
    import django

    django.setup()
    _started = True
