"""POST /api/v1/evaluate: the evaluate contract over HTTP (shared spec evaluate.md).

The body is validated by `equiserve.policy.contract`, not by ninja, so an invalid
request gets the contract's own 422 body, {"errors": [...]}, listing every error.
No login, no CSRF token: the public screener calls it.
"""

import json

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from equiserve.api_errors import error_response, status_detail
from equiserve.policy.compiler import PlanLoadError
from equiserve.policy.contract import ContractError, evaluate_request
from equiserve.policy.messages import message
from equiserve.policy.openapi import answer_schema, example_request, request_schema
from equiserve.rules import plan_gateway

router = Router(tags=["rules"])

# A boolean in a query, exactly as the OpenAPI document says (issue 10, finding 8).
_BOOLEAN = {"true": True, "false": False}
_JSON = {"ensure_ascii": False}


def _openapi() -> dict:
    """Return the operation's OpenAPI additions: query options, bodies, examples."""
    try:
        plan = plan_gateway.plan()
        example = example_request()
        request, answer = request_schema(plan), answer_schema(plan)
        answer_example = evaluate_request(example, plan=plan, lang="en")
    except (
        PlanLoadError,
        ContractError,
        OSError,
    ):  # keep the site up; the call will say why
        request, answer, example, answer_example = (
            {"type": "object"},
            {"type": "object"},
            {},
            {},
        )
    invalid = {
        "detail": "请求无效，错误逐条列出。",
        "errors": [
            {
                "path": "persons[0].birth_date",
                "code": "impossible_date",
                "message": "不存在的日期：2015-02-30",
            }
        ],
    }
    return {
        "parameters": [
            {
                "in": "query",
                "name": "explain",
                "required": False,
                "schema": {"type": "boolean", "default": False},
                "description": "Add, for every output, its clause, a sentence saying why, and the steps.",
            },
            {
                "in": "query",
                "name": "lang",
                "required": False,
                "schema": {"type": "string", "enum": ["zh", "en"], "default": "zh"},
                "description": "Language of explanations and error messages.",
            },
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": request, "example": example}},
        },
        # Integer keys, as ninja's own: "200" beside 200 printed the key twice
        # and broke /api/v1/docs (issue 10, finding 8).
        "responses": {
            200: {
                "description": "Every output of every person and household",
                "content": {
                    "application/json": {"schema": answer, "example": answer_example}
                },
            },
            422: {
                "description": "The request is invalid; every error is listed",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/ApiError"},
                        "example": invalid,
                    }
                },
            },
        },
    }


def _option_error(name: str, value: str, choices: str, lang: str) -> JsonResponse:
    error = {
        "path": name,
        "code": "bad_option",
        "message": message(
            "errors",
            "bad_option",
            lang,
            value=json.dumps(value, ensure_ascii=False),
            choices=choices,
        ),
    }
    return error_response(422, status_detail(422), [error])


@router.post(
    "/evaluate",
    auth=None,
    summary="Evaluate the plan's rules for given persons and households",
    description="Same answer as `equiserve evaluate`: every output of every person "
    "and household on the request's date, with explanations on request.",
    openapi_extra=_openapi(),
)
def evaluate(request: HttpRequest):
    lang = request.GET.get("lang", "zh")
    if lang not in ("zh", "en"):
        return _option_error("lang", lang, "zh, en", "zh")
    explain_text = request.GET.get("explain", "false")
    if explain_text not in _BOOLEAN:
        return _option_error("explain", explain_text, "true, false", lang)
    try:
        answer = evaluate_request(
            request.body,
            explain=_BOOLEAN[explain_text],
            lang=lang,
            plan=plan_gateway.plan(),
        )
    except ContractError as error:
        return error_response(422, status_detail(422), error.errors)
    except PlanLoadError:
        # Valid but huge what-if values can overflow the plan's arithmetic
        # (issue 10, finding 8); without them this is the plan's own failure.
        if not json.loads(request.body).get("parameters"):
            raise
        error = {
            "path": "parameters",
            "code": "overflow",
            "message": _("These what-if values are too large to compute with."),
        }
        return error_response(422, status_detail(422), [error])
    return JsonResponse(answer, json_dumps_params=_JSON)
