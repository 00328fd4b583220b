"""Employment-difficulty assistance and community employment subsidies as cases
(3.7, issue 15 deliverable 2): the plan's programmes, decided through casework with
its workflow, maker–checker, audit and payments."""

import datetime as dt
import io

import pytest

from equiserve.accounts.models import Role
from equiserve.audit.models import AuditEntry
from equiserve.cases.models import Delivery
from equiserve.cases.tests.factories import eligible_applicant
from equiserve.employment.assistance import (
    difficulty_identified,
    disability_certificate,
    unemployed_since,
    zero_employment_family,
)
from equiserve.employment.models import LabourStatus, Registration
from equiserve.testkit import (
    GUZHEN,
    XIAOLAN,
    make_household,
    make_officer,
    make_person,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_accounts")]

DOCUMENTS = {
    "employment_assistance": ["id_card", "unemployment_certificate"],
    "community_employment_subsidy": ["id_card", "community_post_contract"],
}


def _register(api, user, programme, person, facts=None):
    response = api(
        user,
        "post",
        "/api/v1/cases",
        {
            "programme": programme,
            "applicant": person.id_number,
            "applicant_name": person.name,
            "applied_on": "2015-07-01",
            "documents": DOCUMENTS[programme],
            "facts": facts or {},
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def _decide(api, user, url, version, reason="checked"):
    return api(
        user,
        "post",
        f"{url}/decide",
        {"version": version, "decision": "approve", "reason": reason},
    )


def _pay(api, user, url, version, amount):
    return api(
        user,
        "post",
        f"{url}/deliveries",
        {
            "version": version,
            "item": "payment",
            "amount": amount,
            "delivered_on": "2015-10-01",
            "payee_kind": "employer",
            "payee_name": "明阳社区服务中心",
            "payee_uscc": EMPLOYER_USCC,
        },
    )


# A unified social credit code with a correct check character (GB 32100-2015).
EMPLOYER_USCC = "91442000MA4UH1234Y"


def test_a_town_officer_registers_a_subsidy_two_officers_approve_and_it_is_paid_to_the_fen(
    api,
):
    make_officer(
        "hr-social-security-2", Role.DEPARTMENT, department="hr-social-security"
    )
    person = eligible_applicant("community_employment_subsidy", XIAOLAN)
    case = _register(
        api,
        "town-xiaolan",
        "community_employment_subsidy",
        person,
        {"community_post_months": 36},
    )
    assert case["status"] == "submitted"
    url = f"/api/v1/cases/{case['id']}"
    assessed = api("town-xiaolan", "post", f"{url}/assess", {"version": 1}).json()
    assert assessed["assessment"]["eligible"] is True
    answer = assessed["assessment"]["answer"]
    assert answer["community_employment_subsidy"] == 13698.0
    # The town registers and pre-checks; it does not decide.
    refused = _decide(api, "town-xiaolan", url, 2)
    assert refused.status_code == 403, refused.content
    # 36 months × 380.50 = 13,698.00 CNY, above the 10,000 threshold: maker–checker.
    first = _decide(api, "hr-social-security", url, 2, "contract seen").json()
    assert (first["status"], first["entitlement"]) == ("awaiting_second", None)
    again = _decide(api, "hr-social-security", url, 3)
    assert again.status_code == 403, again.content
    assert "another officer must confirm it" in again.json()["detail"]
    second = _decide(api, "hr-social-security-2", url, 3).json()
    assert second["status"] == "approved", second
    assert second["entitlement"]["amount"] == "13698.00"
    over = _pay(api, "hr-social-security", url, 4, "13698.01")
    assert over.status_code == 422, over.content
    part = _pay(api, "hr-social-security", url, 4, "13000.99").json()
    assert part["status"] == "approved", part
    rest = _pay(api, "hr-social-security", url, 5, "697.01").json()
    assert rest["status"] == "fulfilled", rest
    assert sorted(d["amount"] for d in rest["deliveries"]) == ["13000.99", "697.01"]
    assert {
        (d["payee_kind"], d["payee_name"], d["payee_uscc"]) for d in rest["deliveries"]
    } == {("employer", "明阳社区服务中心", EMPLOYER_USCC)}
    logged = AuditEntry.objects.filter(
        object_type="cases.case", object_id=str(case["id"])
    )
    assert {e.actor_username for e in logged} >= {
        "town-xiaolan",
        "hr-social-security",
        "hr-social-security-2",
    }
    assert all(e.town_code == XIAOLAN for e in logged)


def test_an_assistance_case_grants_the_plan_referrals_and_a_public_welfare_post(api):
    person = eligible_applicant("employment_assistance", XIAOLAN)
    case = _register(api, "town-xiaolan", "employment_assistance", person)
    url = f"/api/v1/cases/{case['id']}"
    assessed = api("town-xiaolan", "post", f"{url}/assess", {"version": 1}).json()
    assert assessed["assessment"]["eligible"] is True
    decided = _decide(api, "hr-social-security", url, 2).json()
    assert decided["entitlement"]["items"] == {
        "assistance_plan": 1,
        "job_referral": None,
        "public_welfare_post": 1,
    }
    post = api(
        "hr-social-security",
        "post",
        f"{url}/deliveries",
        {
            "version": 3,
            "item": "public_welfare_post",
            "quantity": 1,
            "delivered_on": "2015-08-01",
            "note": "小榄镇社区保洁公益性岗位",
        },
    ).json()
    assert post["deliveries"][0]["item"] == "public_welfare_post"
    second = api(
        "hr-social-security",
        "post",
        f"{url}/deliveries",
        {
            "version": post["version"],
            "item": "public_welfare_post",
            "quantity": 1,
            "delivered_on": "2015-08-02",
        },
    )
    assert second.status_code == 422, second.content  # one placement in the plan


def test_a_person_not_registered_unemployed_is_not_granted_assistance(api):
    person = eligible_applicant("employment_assistance", XIAOLAN)
    Registration.objects.filter(person=person).update(
        ended_on="2015-06-01", end_reason="reemployed"
    )
    case = _register(api, "town-xiaolan", "employment_assistance", person)
    url = f"/api/v1/cases/{case['id']}"
    assessed = api("town-xiaolan", "post", f"{url}/assess", {"version": 1}).json()
    assert assessed["assessment"]["eligible"] is False


def test_a_town_officer_cannot_see_another_towns_assistance_case(api, client):
    person = eligible_applicant("employment_assistance", GUZHEN)
    case = _register(api, "town-guzhen", "employment_assistance", person)
    path = f"/api/v1/cases/{case['id']}"
    assert api("town-guzhen", "get", path).status_code == 200
    assert api("town-xiaolan", "get", path).status_code == 404
    assert api("hr-social-security", "get", path).status_code == 200
    listed = api("town-xiaolan", "get", "/api/v1/cases").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert case["id"] not in [c["id"] for c in items]
    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    assert client.get(f"/cases/{case['id']}/").status_code == 404
    client.login(username="town-guzhen", password="demo-town-guzhen")
    assert client.get(f"/cases/{case['id']}/").status_code == 200


def test_the_register_gives_the_facts_and_an_unknown_family_is_not_zero_employment():
    person = eligible_applicant("employment_assistance", XIAOLAN)
    assert unemployed_since(person) == "2015-01-05"
    # No one in the household has a status on the register: unknown, not true.
    assert zero_employment_family(person) is None
    LabourStatus.objects.create(
        person=person, status="unemployed", since="2015-01-05", source="window"
    )
    assert zero_employment_family(person) is True
    partner = make_person(XIAOLAN, household=person.household)
    assert zero_employment_family(person) is None  # the partner's status unknown
    LabourStatus.objects.create(
        person=partner, status="employed", since="2010-01-01", source="window"
    )
    assert zero_employment_family(person) is False
    Registration.objects.filter(person=person).update(
        ended_on="2015-06-01", end_reason="reemployed"
    )
    # The registration is in force up to and including its end day.
    assert unemployed_since(person, dt.date(2015, 6, 1)) == "2015-01-05"
    assert unemployed_since(person, dt.date(2015, 6, 2)) is None
    assert unemployed_since(person, dt.date(2015, 1, 4)) is None


def test_only_an_approved_assistance_case_identifies_a_person_for_the_subsidy(api):
    person = eligible_applicant("employment_assistance", XIAOLAN)
    case = _register(api, "town-xiaolan", "employment_assistance", person)
    url = f"/api/v1/cases/{case['id']}"
    api("town-xiaolan", "post", f"{url}/assess", {"version": 1})
    assert difficulty_identified(person, dt.date(2015, 7, 1)) is False
    _decide(api, "hr-social-security", url, 2)
    assert difficulty_identified(person, dt.date(2015, 7, 1)) is True
    assert difficulty_identified(person, dt.date(2015, 6, 30)) is False


def _young_unemployed(town=XIAOLAN, **fields):
    """Return a man of 25 registered unemployed for a month, his partner employed."""
    person = make_person(town, birth_date=dt.date(1990, 1, 1), sex="M", **fields)
    Registration.objects.create(
        person=person,
        town_id=town,
        registered_on=dt.date(2015, 6, 1),
        occupation="4-01",
        wage_min="2000.00",
    )
    partner = make_person(town, household=person.household)
    LabourStatus.objects.create(
        person=partner, status="employed", since="2010-01-01", source="window"
    )
    return person


def _assess(person, facts):
    from equiserve.cases.engine import assess
    from equiserve.cases.programmes import programme

    return assess(
        programme("employment_assistance"), person, facts, dt.date(2015, 7, 1)
    )


def test_a_disability_certificate_on_the_register_makes_a_young_person_eligible():
    # Issue 15: the disability register's certificate, issued on or before the day.
    from equiserve.disability.models import DisabilityRecord
    from equiserve.disability.tests.factories import certificate

    person = _young_unemployed(household=make_household(XIAOLAN))
    stated = {"minimum_living_allowance": False}
    result = _assess(person, stated)
    assert (result.answer["difficulty_disabled"], result.eligible) == (False, False)
    assert result.inputs["persons"][0]["disability_certificate"] is False
    record = DisabilityRecord.objects.create(
        person=person,
        certificate_number=certificate(person),
        category="physical",
        grade=3,
        issued_on=dt.date(2015, 7, 2),
    )
    assert disability_certificate(person, dt.date(2015, 7, 1)) is False
    assert _assess(person, stated).eligible is False  # issued after the day
    record.issued_on = dt.date(2015, 7, 1)
    record.save(update_fields=["issued_on"])
    assert disability_certificate(person, dt.date(2015, 7, 1)) is True
    result = _assess(person, stated)
    assert result.answer["difficulty_disabled"] is True
    assert result.answer["employment_difficulty"] is True
    assert result.eligible is True


def test_minimum_living_allowance_is_stated_and_unknown_never_qualifies(api, client):
    # Issue 15: the project records no 低保 payments, so the officer states it.
    person = _young_unemployed(household=make_household(XIAOLAN))
    unknown = _assess(person, {})
    assert unknown.answer["employment_difficulty"] is None
    assert unknown.answer["undetermined"]["employment_assistance_eligible"] == [
        "persons[0].minimum_living_allowance"
    ]
    assert unknown.eligible is False
    assert _assess(person, {"minimum_living_allowance": False}).eligible is False
    case = _register(
        api,
        "town-xiaolan",
        "employment_assistance",
        person,
        facts={"minimum_living_allowance": "是"},
    )
    assert case["facts"] == {"minimum_living_allowance": True}
    url = f"/api/v1/cases/{case['id']}"
    assessed = api("town-xiaolan", "post", f"{url}/assess", {"version": 1}).json()
    assert assessed["assessment"]["eligible"] is True
    refused = api(
        "town-xiaolan",
        "post",
        "/api/v1/cases",
        {
            "programme": "employment_assistance",
            "applicant": person.id_number,
            "applied_on": "2015-07-01",
            "documents": DOCUMENTS["employment_assistance"],
            "facts": {"minimum_living_allowance": "perhaps"},
        },
        language="zh",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "path": "minimum_living_allowance",
            "code": "invalid",
            "message": "“perhaps”不是“是”或“否”",
        }
    ]
    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    page = client.get(f"/cases/{case['id']}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "家庭享受最低生活保障（低保）" in text


def _approved_subsidy(api):
    """Return the API path and version of an approved six-month subsidy (2,283.00)."""
    person = eligible_applicant("community_employment_subsidy", XIAOLAN)
    case = _register(
        api,
        "town-xiaolan",
        "community_employment_subsidy",
        person,
        {"community_post_months": 6},
    )
    url = f"/api/v1/cases/{case['id']}"
    api("town-xiaolan", "post", f"{url}/assess", {"version": 1})
    assert _decide(api, "hr-social-security", url, 2).json()["status"] == "approved"
    return case, url


def _pay_to(api, url, amount="2283.00", **payee):
    body = {"version": 3, "item": "payment", "amount": amount}
    body |= {"delivered_on": "2015-10-01", **payee}
    return api("hr-social-security", "post", f"{url}/deliveries", body, language="zh")


@pytest.mark.parametrize(
    ("payee", "field", "message"),
    [
        ({}, "payee_kind", "请说明款项支付给：用人单位或本人。"),
        (
            {"payee_kind": "employer", "payee_uscc": EMPLOYER_USCC},
            "payee_name",
            "请填写用人单位名称。",
        ),
        (
            {"payee_kind": "employer", "payee_name": "明阳社区服务中心"},
            "payee_uscc",
            "“”不是统一社会信用代码：应为18位数字和大写字母，最后一位为校验码。",
        ),
        (
            {
                "payee_kind": "employer",
                "payee_name": "明阳社区服务中心",
                "payee_uscc": "91442000MA4UH1234X",  # the check character is Y
            },
            "payee_uscc",
            "“91442000MA4UH1234X”不是统一社会信用代码：应为18位数字和大写字母，"
            "最后一位为校验码。",
        ),
        (
            {"payee_kind": "person", "payee_name": "明阳社区服务中心"},
            "payee_name",
            "支付给本人的款项不填写用人单位。",
        ),
    ],
)
def test_a_subsidy_payment_names_a_valid_payee(api, payee, field, message):
    # Issue 15: the payee is a field, not a note; an employer by name and USCC.
    _case, url = _approved_subsidy(api)
    refused = _pay_to(api, url, **payee)
    assert refused.status_code == 422, refused.content
    assert refused.json()["detail"] == message
    assert [e["path"] for e in refused.json()["errors"]] == [field]


def test_a_subsidy_paid_to_the_person_or_an_employer_shows_on_the_case_page(
    api, client
):
    case, url = _approved_subsidy(api)
    paid = _pay_to(
        api,
        url,
        payee_kind="employer",
        payee_name=" 明阳社区服务中心 ",
        payee_uscc="91442000ma4uh1234y",
    ).json()
    assert paid["status"] == "fulfilled"
    assert paid["deliveries"][0]["payee_uscc"] == EMPLOYER_USCC
    assert paid["deliveries"][0]["payee_name"] == "明阳社区服务中心"
    logged = AuditEntry.objects.filter(
        object_type="cases.case", object_id=str(case["id"]), summary__contains=": paid"
    ).get()
    assert logged.changes["payee_uscc"] == EMPLOYER_USCC
    client.login(username="hr-social-security", password="demo-hr-social-security")
    text = client.get(
        f"/cases/{case['id']}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert f"支付给用人单位明阳社区服务中心（统一社会信用代码{EMPLOYER_USCC}）" in text


def test_only_a_payment_of_a_programme_with_payees_names_one(api):
    person = eligible_applicant("employment_assistance", XIAOLAN)
    case = _register(api, "town-xiaolan", "employment_assistance", person)
    url = f"/api/v1/cases/{case['id']}"
    api("town-xiaolan", "post", f"{url}/assess", {"version": 1})
    _decide(api, "hr-social-security", url, 2)
    refused = api(
        "hr-social-security",
        "post",
        f"{url}/deliveries",
        {
            "version": 3,
            "item": "assistance_plan",
            "delivered_on": "2015-08-01",
            "payee_kind": "person",
        },
    )
    assert refused.status_code == 422, refused.content
    assert refused.json()["detail"] == "Only a payment of this programme names a payee."


def test_the_case_page_asks_for_the_payee_confirms_it_and_explains_a_bad_code(
    api, client
):
    case, _url = _approved_subsidy(api)
    client.login(username="hr-social-security", password="demo-hr-social-security")
    page = client.get(f"/cases/{case['id']}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "款项支付给" in text and 'name="payee_uscc"' in text
    url = f"/cases/{case['id']}/deliver/"
    form = {
        "version": 3,
        "item": "payment",
        "amount": "2,283.00",
        "delivered_on": "2015-10-01",
        "payee_kind": "employer",
        "payee_name": "明阳社区服务中心",
        "payee_uscc": "91442000MA4UH1234",  # 17 characters
        "confirmed": "1",
    }
    bad = client.post(url, form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "“91442000MA4UH1234”不是统一社会信用代码" in bad.content.decode()
    step = client.post(
        url,
        form | {"payee_uscc": EMPLOYER_USCC, "confirmed": ""},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "将于 2015-10-01 向 明阳社区服务中心 发放 ¥2,283.00" in step.content.decode()
    done = client.post(url, form | {"payee_uscc": EMPLOYER_USCC})
    assert done.status_code == 302
    paid = Delivery.objects.get(case_id=case["id"])
    assert (paid.payee_kind, paid.payee_name, paid.payee_uscc, str(paid.amount)) == (
        "employer",
        "明阳社区服务中心",
        EMPLOYER_USCC,
        "2283.00",
    )


def test_the_database_refuses_an_employer_payee_without_a_code(api):
    from django.db import IntegrityError, transaction

    case, url = _approved_subsidy(api)
    _pay_to(api, url, payee_kind="person")
    paid = Delivery.objects.get(case_id=case["id"])
    assert (paid.payee_kind, paid.payee_name, paid.payee_uscc) == ("person", "", "")
    paid.payee_kind, paid.payee_name = "employer", "明阳社区服务中心"
    with pytest.raises(IntegrityError), transaction.atomic():
        paid.save(update_fields=["payee_kind", "payee_name"])
    paid.payee_uscc = "91442000MA4UH1234I"  # I is not in the code's alphabet
    with pytest.raises(IntegrityError), transaction.atomic():
        paid.save(update_fields=["payee_kind", "payee_name", "payee_uscc"])


def test_the_subsidy_ledger_lists_payments_and_payees_in_scope_to_the_fen(api, client):
    # Issue 15: the payee is in the payment ledger and its export, town-scoped.
    from openpyxl import load_workbook

    xl_case, xl_url = _approved_subsidy(api)
    _pay_to(
        api,
        xl_url,
        amount="2000.01",
        payee_kind="employer",
        payee_name="明阳社区服务中心",
        payee_uscc=EMPLOYER_USCC,
    )
    person = eligible_applicant("community_employment_subsidy", GUZHEN)
    gz_case = _register(
        api,
        "town-guzhen",
        "community_employment_subsidy",
        person,
        {"community_post_months": 6},
    )
    gz_url = f"/api/v1/cases/{gz_case['id']}"
    api("town-guzhen", "post", f"{gz_url}/assess", {"version": 1})
    _decide(api, "hr-social-security", gz_url, 2)
    _pay_to(api, gz_url, payee_kind="person")

    client.login(username="hr-social-security", password="demo-hr-social-security")
    text = client.get(
        "/employment/subsidies/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "累计发放：¥4,283.01" in text
    assert xl_case["reference"] in text and gz_case["reference"] in text
    assert "明阳社区服务中心" in text and "本人" in text
    book = load_workbook(
        io.BytesIO(client.get("/employment/subsidies/?format=xlsx").content)
    )
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert [r[4:9] for r in rows[1:]] == [
        [
            dt.datetime(2015, 10, 1),
            2000.01,
            "用人单位",
            "明阳社区服务中心",
            EMPLOYER_USCC,
        ],
        [dt.datetime(2015, 10, 1), 2283, "本人", None, None],
        [None, 4283.01, None, None, None],
    ]
    assert rows[3][0] == "合计"

    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    text = client.get("/employment/subsidies/").content.decode()
    assert xl_case["reference"] in text and gz_case["reference"] not in text
    book = load_workbook(
        io.BytesIO(client.get("/employment/subsidies/?format=xlsx").content)
    )
    first = [row[0].value for row in book.active.iter_rows()]
    assert first == ["案件编号", xl_case["reference"], "合计"]
    client.login(username="office", password="demo-office")
    assert client.get("/employment/subsidies/").status_code == 200
    assert client.get("/employment/subsidies/?format=xlsx").status_code == 403
    client.login(username="culture", password="demo-culture")
    assert client.get("/employment/subsidies/").status_code == 404


def test_a_stated_minimum_living_allowance_shows_as_stated_when_the_facts_are_edited():
    # A yes stored as JSON true is selected again, not shown as "not stated".
    from equiserve.cases.forms import FactsForm
    from equiserve.cases.programmes import programme

    assistance = programme("employment_assistance")
    for stated, shown in ((True, "true"), (False, "false")):
        form = FactsForm(
            assistance, initial={"fact_minimum_living_allowance": stated}, lang="zh"
        )
        html = str(form["fact_minimum_living_allowance"])
        assert f'<option value="{shown}" selected>' in html
    form = FactsForm(assistance, lang="zh")
    assert '<option value="" selected>' in str(form["fact_minimum_living_allowance"])
