"""The API's one error format: every 4xx and 5xx under /api/ is JSON of one shape.

    {"detail": "one sentence", "errors": [{"path": "…", "code": "…", "message": "…"}]}

`detail` says what went wrong in the caller's language; `errors` lists each bad
input (empty when no single input is to blame). The evaluate contract's 422 body
is the same shape. Issue 10, finding 8: bad input never gives a 5xx, and even an
unexpected failure answers JSON, not an HTML page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("equiserve.api")

API_PREFIX = "/api/"


class ErrorItem(Schema):
    path: str
    code: str
    message: str


class ApiError(Schema):
    """Every error the API answers: a sentence and the inputs to blame."""

    detail: str
    errors: list[ErrorItem]


def error_response(
    status: int, detail: str, errors: Iterable[dict[str, str]] = ()
) -> JsonResponse:
    """Return an error in the API's format."""
    body = {"detail": str(detail), "errors": list(errors)}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def status_detail(status: int) -> str:
    """Return the sentence for an error status when nothing more precise is known."""
    details = {
        400: _("The request could not be read."),
        401: _("Sign in first: send a valid bearer token (POST /api/v1/auth/token)."),
        403: _("Your role may not do this."),
        404: _("Not found."),
        405: _("This address does not accept this method."),
        413: _("The request is too large."),
        422: _("The request is not valid; every error is listed."),
    }
    return details.get(status, _("The server could not answer; the error is logged."))


def _validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("required")
    if kind.startswith(("int_", "int_from")):
        return _("not a whole number")
    if kind.startswith(("float_", "decimal_parsing", "decimal_type")):
        return _("not a number")
    if kind == "finite_number":
        return _("not a finite number")
    if kind.startswith("decimal_"):
        return _("too many digits (at most %(digits)s, %(places)s after the point)") % {
            "digits": context.get("max_digits", "12"),
            "places": context.get("decimal_places", "2"),
        }
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limits = {
            "greater_than_equal": _("at least %(limit)s"),
            "greater_than": _("more than %(limit)s"),
            "less_than_equal": _("at most %(limit)s"),
            "less_than": _("less than %(limit)s"),
        }
        limit = next(iter(context.values()), "")
        return limits[kind] % {"limit": limit}
    if kind.startswith(("date_", "datetime_")):
        return _("not a date (write it as 2015-07-01)")
    if kind.startswith("bool_"):
        return _("not true or false")
    if kind in ("string_type", "string_unicode"):
        return _("not text")
    if kind == "string_too_long":
        return _("too long (at most %(limit)s characters)") % {
            "limit": context.get("max_length", "")
        }
    if kind in ("literal_error", "enum"):
        return _("not one of: %(choices)s") % {"choices": context.get("expected", "")}
    return _("not valid here")


def validation_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Return pydantic's errors as the API's error items, messages translated."""
    items = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        # ninja repeats the parameter's name after "body"/"query"; say it once.
        if len(location) > 2 and location[0] in ("body", "query", "path"):
            location = [location[0], *location[2:]]
        items.append(
            {
                "path": ".".join(location),
                "code": error.get("type", "invalid"),
                "message": _validation_message(error),
            }
        )
    return items


def install_error_handlers(api) -> None:
    """Answer every exception an API view raises in the API's error format."""

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError):
        return error_response(422, status_detail(422), validation_errors(exc.errors))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError):
        response = error_response(401, status_detail(401))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def refused(request: HttpRequest, exc: HttpError):
        if exc.status_code == 400:  # ninja's parser: "Cannot parse request body"
            return error_response(400, status_detail(400))
        return error_response(exc.status_code, exc.message)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        # One answer for missing and forbidden records alike (uniform 404).
        return error_response(404, status_detail(404))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied):
        return error_response(403, status_detail(403))

    @api.exception_handler(MultiPartParserError)
    def unreadable(request: HttpRequest, exc: MultiPartParserError):
        # e.g. "Content-Type: multipart/form-data" without a boundary
        return error_response(400, status_detail(400))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig):
        return error_response(413, status_detail(413))

    @api.exception_handler(Exception)
    def failed(request: HttpRequest, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(500, status_detail(500))


def _holds_nul(body: bytes, query: str) -> bool:
    """Whether the request carries a NUL character, which no input may hold.

    PostgreSQL cannot store it in text, so it would fail deep in a view (a 500)
    where SQLite stored it silently.
    """
    if b"\x00" in body or "%00" in query:
        return True
    if b"u0000" not in body:
        return False
    try:
        document = json.loads(body)
    except ValueError:
        return False  # the parser answers an unreadable body

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    return any("\x00" in text for text in strings(document))


class ApiErrorMiddleware:
    """Under /api/: refuse an oversized body with 413, and answer errors as JSON.

    Django checks DATA_UPLOAD_MAX_MEMORY_SIZE when the body is read; reading it
    here turns that into a 413 before a view or parser sees the request. Errors
    raised outside the API's views (an unknown address, a wrong method, a
    failure in a middleware) come back as HTML pages; they are rewritten in the
    API's format, keeping their status and the Allow header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            body = request.body  # read once under Django's size limit
        except RequestDataTooBig:
            return error_response(413, status_detail(413))
        if _holds_nul(body, request.META.get("QUERY_STRING", "")):
            return error_response(400, _("Text may not contain the NUL character."))
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith(
            "application/json"
        ):
            replacement = error_response(
                response.status_code, status_detail(response.status_code)
            )
            if "Allow" in response:
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


# Statuses every operation may answer, beside those it declares itself.
def _error_statuses(operation: dict[str, Any]) -> list[str]:
    statuses = ["400", "404", "422", "500"]
    if operation.get("security"):
        statuses += ["401", "403"]
    if "requestBody" in operation:
        statuses.append("413")
    return statuses


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses and the one error schema to every operation."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ApiError.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    components.update(error_schema.pop("$defs", {}))
    components["ApiError"] = error_schema
    reference = {"$ref": "#/components/schemas/ApiError"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in list(responses):
                # One key per status: int and str keys would both print as "200".
                if not isinstance(status, str):
                    merged = responses.pop(status)
                    merged.update(responses.get(str(status), {}))
                    responses[str(status)] = merged
            for status in _error_statuses(operation):
                responses.setdefault(
                    status,
                    {
                        "description": _describe(int(status)),
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return schema


def _describe(status: int) -> str:
    return {
        400: "The body is not valid JSON",
        401: "No valid bearer token",
        403: "The caller's role may not do this",
        404: "Not found, or outside the caller's scope",
        413: f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes",
        422: "The request is not valid; every error is listed",
        500: "An unexpected failure (logged)",
    }[status]
