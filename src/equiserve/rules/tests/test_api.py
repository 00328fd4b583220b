"""POST /api/v1/evaluate: the same answer as the command line, the contract's errors, OpenAPI."""

import json

import pytest
from django.test import Client

from equiserve.policy.contract import evaluate_request
from equiserve.policy.openapi import example_request

URL = "/api/v1/evaluate"


@pytest.fixture
def client():
    # The public screener posts without a session or CSRF token.
    return Client(enforce_csrf_checks=True)


def post(client, body, query=""):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL + query, data, content_type="application/json")


def test_the_answer_is_the_command_line_answer(client):
    response = post(client, example_request())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == evaluate_request(example_request())
    assert response.json()["persons"]["p1"]["veteran_grant"] == 220000.0


def test_explanations_in_english_on_request(client):
    response = post(client, example_request(), "?explain=true&lang=en")
    explanation = response.json()["explanations"]["p1"]["veteran_grant"]
    assert explanation["clause"] == "3.4.3"
    assert explanation["steps"][-1] == "3 × ¥60,000.00 + 8 × ¥5,000.00 = ¥220,000.00"
    assert response.json() == evaluate_request(
        example_request(), explain=True, lang="en"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"date": "2015-07-01", "persons": [', [("", "malformed_json")]),
        (
            {"date": "2015-07-01", "persons": [{"sex": "F"}]},
            [("persons[0].id", "required")],
        ),
        (
            {
                "date": "2015-07-01",
                "persons": [{"id": "a", "birth_date": "2015-02-30"}],
            },
            [("persons[0].birth_date", "impossible_date")],
        ),
        (
            {"date": "2015-07-01", "persons": [{"id": "a", "town": "442000000"}]},
            [("persons[0].town", "unknown_town")],
        ),
        (
            {
                "date": "2015-07-01",
                "persons": [{"id": "a", "veteran": {"kind": "admiral"}}],
            },
            [("persons[0].veteran.kind", "unknown_kind")],
        ),
        (
            {
                "date": "2015-07-01",
                "persons": [
                    {"id": "a", "death": {"date": "2015-01-01", "storage_days": -3}}
                ],
            },
            [("persons[0].death.storage_days", "negative")],
        ),
        (
            {
                "date": "2015-07-01",
                "parameters": {"no.such": {"2014": 1}},
                "persons": [],
            },
            [('parameters["no.such"]', "unknown_parameter")],
        ),
        (
            {"date": "2015-07-01", "persons": [{"id": "a", "low_income": "no"}]},
            [("persons[0].low_income", "not_bool")],
        ),
    ],
)
def test_every_error_case_answers_422_with_the_errors_body(client, body, expected):
    response = post(client, body)
    assert response.status_code == 422
    payload = response.json()
    # The API's one error format: the contract's errors and a sentence.
    assert list(payload) == ["detail", "errors"]
    assert [(e["path"], e["code"]) for e in payload["errors"]] == expected
    assert all(e["message"] for e in payload["errors"])


def test_all_errors_are_listed_in_the_chosen_language(client):
    body = {"date": "2015-02-30", "persons": [{"hukou": "x"}]}
    response = post(client, body, "?lang=en")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "path": "date",
            "code": "impossible_date",
            "message": "Impossible date: 2015-02-30",
        },
        {
            "path": "persons[0].hukou",
            "code": "unknown_value",
            "message": 'Unknown value "x"; expected one of: zhongshan (Registered '
            "in Zhongshan), elsewhere (Migrant (registered elsewhere))",
        },
        {
            "path": "persons[0].id",
            "code": "required",
            "message": "This field is required",
        },
    ]
    zh = post(client, body).json()["errors"][0]["message"]
    assert zh == "不存在的日期：2015-02-30"


def test_a_bad_option_is_answered_in_the_errors_shape(client):
    response = post(client, example_request(), "?explain=maybe")
    assert response.status_code == 422
    assert [(e["path"], e["code"]) for e in response.json()["errors"]] == [
        ("explain", "bad_option")
    ]
    response = post(client, example_request(), "?lang=fr")
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "lang"


def test_the_openapi_document_describes_the_operation(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/evaluate"]["post"]
    assert {p["name"] for p in operation["parameters"]} == {"explain", "lang"}
    body = operation["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["date", "persons"]
    person = body["schema"]["properties"]["persons"]["items"]["properties"]
    # null is documented: the contract reads it as not given (issue 10, finding 8).
    assert person["veteran"]["properties"]["kind"]["enum"] == [
        "conscript",
        "demobilized_nco",
        "transferred_nco",
        None,
    ]
    assert body["example"] == example_request()
    answer = operation["responses"]["200"]["content"]["application/json"]
    outputs = answer["schema"]["properties"]["persons"]["additionalProperties"][
        "properties"
    ]
    assert outputs["veteran_grant"]["description"].startswith(
        "veterans' one-time self-employment grant (CNY), clause 3.4.3"
    )
    assert answer["example"]["persons"]["p1"]["veteran_grant"] == 220000.0
    errors = operation["responses"]["422"]["content"]["application/json"]["schema"]
    assert errors == {"$ref": "#/components/schemas/ApiError"}
    assert document["components"]["schemas"]["ApiError"]["required"] == [
        "detail",
        "errors",
    ]
