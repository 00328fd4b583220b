"""`/healthz`, `/readyz` and `/metrics` (issue 21, deliverable 3).

Answers are plain JSON or text for machines (systemd, a load balancer,
Prometheus); they hold no personal data and are not translated.
"""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from equiserve.operations.metrics import metrics_exposition
from equiserve.operations.readiness import readiness


@never_cache
@require_GET
def healthz(request):
    """Answer 200 while the process serves requests; nothing else is checked."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Answer 200 when the database, its migrations and the task worker are ready."""
    checks = readiness()
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )


def _metrics_allowed(request) -> bool:
    """A bearer token when one is configured; else a loopback caller, no proxy.

    nginx adds X-Forwarded-For, so a request from the internet-facing side is
    refused even though it reaches the application from 127.0.0.1.
    """
    if settings.METRICS_TOKEN:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return hmac.compare_digest(sent.encode(), settings.METRICS_TOKEN.encode())
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def metrics(request):
    if not _metrics_allowed(request):
        return HttpResponse(status=404)
    body, content_type = metrics_exposition()
    return HttpResponse(body, content_type=content_type)
