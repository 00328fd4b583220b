"""Guard rails on decisions and the confirmation before an approval (issue 14,
deliverables 3 and 4): the amount against the request and the plan's amount,
no preselected decision, input kept on error, "12,000" read."""

import pytest

from equiserve.audit.models import AuditEntry
from equiserve.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def hardship(make_case):
    """A hardship-relief case asking for 3,000 CNY, assessed eligible."""
    return make_case("hardship_relief", facts={"requested_amount": "3000"}, assess=True)


def _decide(client, case, **fields):
    form = {"version": case.version, "decision": "approve", "reason": "fire"}
    return client.post(f"/cases/{case.pk}/decide/", form | fields)


def test_the_decision_form_preselects_no_decision_and_shows_the_comparison(
    officers, hardship, login
):
    page = login("civil-affairs").get(f"/cases/{hardship.pk}/").content.decode()
    assert 'type="radio" name="decision" value="approve" required>' in page
    assert " checked" not in page.split('class="action decide"')[1].split("</form>")[0]
    assert "<th>Amount requested</th><td>¥3,000.00</td>" in page


def test_a_decision_not_chosen_is_refused_and_the_input_kept(officers, hardship, login):
    response = _decide(
        login("civil-affairs"), hardship, decision="", amount="2,500", reason="fire"
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Choose a decision: approve, reject or return." in page
    assert 'name="amount" inputmode="decimal" value="2,500"' in page
    assert ">fire</textarea>" in page
    assert Case.objects.get(pk=hardship.pk).status == "assessed"


def test_an_amount_above_the_request_needs_an_acknowledgement(
    officers, hardship, login
):
    client = login("civil-affairs")
    warned = _decide(client, hardship, amount="4,000", confirmed="1")
    assert warned.status_code == 422
    page = warned.content.decode()
    assert (
        "¥4,000.00 is more than the ¥3,000.00 requested. Tick “I have checked "
        "the amount above the request” to approve it, or change the amount."
    ) in page
    assert 'name="acknowledge_above_request"' in page
    assert 'value="4,000"' in page  # the input is kept
    assert Case.objects.get(pk=hardship.pk).status == "assessed"

    # Acknowledged, the confirmation step says what will happen, in words.
    step = _decide(client, hardship, amount="4,000", acknowledge_above_request="on")
    assert step.status_code == 200
    text = step.content.decode()
    assert "This is ¥1,000.00 more than the ¥3,000.00 requested." in text
    assert 'name="confirmed" value="1"' in text
    assert Case.objects.get(pk=hardship.pk).status == "assessed"

    done = _decide(
        client, hardship, amount="4,000", acknowledge_above_request="on", confirmed="1"
    )
    assert done.status_code == 302
    case = Case.objects.get(pk=hardship.pk)
    assert case.status == "approved"
    assert str(case.entitlements.get().amount) == "4000.00"
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.DECIDE).last()
    assert entry.changes["amount"] == "4000.00"
    assert entry.changes["requested"] == "3000.00"
    assert entry.changes["above_request_acknowledged"] is True


def test_thousands_separators_are_read(officers, hardship, login):
    response = _decide(
        login("civil-affairs"), hardship, amount="2,500.50", confirmed="1"
    )
    assert response.status_code == 302
    assert str(hardship.entitlements.get().amount) == "2500.50"


def test_an_amount_above_the_plans_is_refused(officers, make_case, login):
    case = make_case("conscript_family_allowance", assess=True)
    response = _decide(login("civil-affairs"), case, amount="12,000.01", confirmed="1")
    assert response.status_code == 422
    assert (
        "¥12,000.01 is above the plan&#x27;s amount for this case, ¥12,000.00 "
        "(its formula&#x27;s limit): it cannot be approved."
    ) in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "assessed"


def test_an_approval_is_confirmed_before_it_is_saved(officers, make_case, login):
    case = make_case("funeral", assess=True)
    client = login("civil-affairs")
    step = _decide(client, case, reason="papers seen")
    assert step.status_code == 200
    page = step.content.decode()
    assert f"Approve {case.reference}?" in page
    assert "This cannot be undone." in page
    assert Case.objects.get(pk=case.pk).status == "assessed"
    done = _decide(client, case, reason="papers seen", confirmed="1")
    assert done.status_code == 302
    followed = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Decision saved: Approved." in followed


def test_the_api_asks_for_the_acknowledgement_too(officers, hardship, api):
    url = f"/api/v1/cases/{hardship.pk}/decide"
    body = {"version": 2, "decision": "approve", "reason": "fire", "amount": "4000"}
    refused = api("civil-affairs", "post", url, body)
    assert refused.status_code == 422
    accepted = api(
        "civil-affairs", "post", url, body | {"acknowledge_above_request": True}
    )
    assert accepted.json()["entitlement"]["amount"] == "4000.00"


def test_a_case_under_appeal_shows_how_to_decide_the_appeal(officers, hardship, login):
    from equiserve.cases import services

    officer = officers["civil-affairs"]
    services.case_decide(
        case=hardship,
        version=hardship.version,
        decision="reject",
        reason="no proof",
        actor=officer,
    )
    services.case_appeal(
        case=hardship,
        version=hardship.version,
        reason="proof found",
        lodged_on=hardship.applied_on,
        actor=officer,
    )
    client = login("civil-affairs")
    page = client.get(f"/cases/{hardship.pk}/").content.decode()
    # One action decides the appeal (issue 14): no separate assess step first.
    assert f'action="/cases/{hardship.pk}/decide-appeal/"' in page
    assert f'action="/cases/{hardship.pk}/assess/"' not in page
    answer = {
        "version": hardship.version,
        "decision": "approve",
        "reason": "proof found",
        "amount": "3,000",
    }
    url = f"/cases/{hardship.pk}/decide-appeal/"
    step = client.post(url, answer).content.decode()
    assert "<dialog" in step
    assert "The case is assessed again with the plan&#x27;s rules: eligible." in step
    assert "Then the appeal is upheld" in step
    hardship.refresh_from_db()
    assert hardship.status == "appealed"  # nothing saved before the confirmation
    done = client.post(url, answer | {"confirmed": "1"}, follow=True)
    assert "Appeal decided: Approved." in done.content.decode()
    hardship.refresh_from_db()
    assert hardship.status == "approved"


def test_the_checker_sees_the_amount_compared_with_the_request(
    officers, make_case, login
):
    from equiserve.cases import services

    case = make_case(
        "hardship_relief", facts={"requested_amount": "12,000"}, assess=True
    )
    services.case_decide(
        case=case,
        version=case.version,
        decision="approve",
        reason="fire",
        amount="15,000",
        above_request_acknowledged=True,
        actor=officers["civil-affairs"],
    )
    page = login("civil-affairs-2").get(f"/cases/{case.pk}/").content.decode()
    assert "<th>Amount requested</th><td>¥12,000.00</td>" in page
    assert "<th>First approval</th><td>¥15,000.00</td>" in page
    assert 'value="approve" required>' in page  # nothing chosen for the checker


def test_a_payment_is_confirmed_in_words_before_it_is_recorded(
    officers, hardship, login
):
    client = login("civil-affairs")
    assert _decide(client, hardship, amount="3,000", confirmed="1").status_code == 302
    url = f"/cases/{hardship.pk}/deliver/"
    form = {
        "version": 3,
        "item": "payment",
        "amount": "1,000",
        "delivered_on": "2015-06-12",
    }
    step = client.post(url, form)
    assert step.status_code == 200
    assert "A payment of ¥1,000.00 to" in step.content.decode()
    assert not hardship.deliveries.exists()
    done = client.post(url, form | {"confirmed": "1"})
    assert done.status_code == 302
    assert str(hardship.deliveries.get().amount) == "1000.00"
