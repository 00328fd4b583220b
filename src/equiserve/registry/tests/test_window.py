"""The window clerk's person form (issue 14, deliverable 2): one person without
a file, birth date and sex read from the ID number, a household and relation,
a search scoped to the officer's town, and the way on to an application."""

import datetime as dt

import pytest

from equiserve.audit.models import AuditEntry
from equiserve.registry.models import Household, Person
from equiserve.testkit import GUZHEN, XIAOLAN, id_number, make_household, make_person

pytestmark = pytest.mark.django_db


# Born 1990-03-12 in Zhongshan (442000 from 1988), sequence 123: odd, a man.
MAN = id_number(dt.date(1990, 3, 12), 123)


def _form(**fields):
    return {
        "id_number": MAN,
        "name": "陈大文",
        "hukou": "zhongshan",
        "household": "new",
        "relation_to_head": "",
    } | fields


def test_a_town_officer_registers_a_person_read_from_the_id_number(
    demo_accounts, login
):
    client = login("town-xiaolan")
    page = client.get("/registry/persons/new/")
    assert page.status_code == 200
    assert "registry/person_form.js" in page.content.decode()
    response = client.post("/registry/persons/new/", _form())
    assert response.status_code == 302
    person = Person.objects.get(id_number=MAN)
    assert (str(person.birth_date), person.sex, person.town_id) == (
        "1990-03-12",
        "M",
        XIAOLAN,
    )
    assert person.household.town_id == XIAOLAN
    assert person.relation_to_head == "head"
    assert response["Location"] == f"/registry/persons/{person.public_id}/"
    entry = AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, object_type="registry.person"
    ).get()
    assert entry.changes["id_number"][1].startswith("442000")
    assert MAN not in str(entry.changes)  # masked in the log
    followed = client.get(response["Location"]).content.decode()
    assert (
        f"陈大文 is registered as {person.key}: born 1990-03-12, registration area "
        "广东省中山市 (read from the ID number)."
    ) in followed
    assert "Start an application for this person" in followed
    assert f"/cases/new/?applicant={person.key}" in followed


def test_a_member_joins_an_existing_household_with_a_relation(demo_accounts, login):
    home = make_household(XIAOLAN)
    woman = id_number(dt.date(1990, 1, 1), 124)  # even sequence: a woman
    response = login("town-xiaolan").post(
        "/registry/persons/new/",
        _form(
            id_number=woman,
            household="existing",
            household_key=home.key,
            relation_to_head="spouse",
        ),
    )
    assert response.status_code == 302
    person = Person.objects.get(id_number=woman)
    assert (person.household, person.relation_to_head, person.sex) == (
        home,
        "spouse",
        "F",
    )
    page = login("town-xiaolan").get(f"/registry/persons/{person.public_id}/")
    assert f"{home.key}</a> · Spouse</p>" in page.content.decode()


def test_bad_numbers_and_other_towns_households_are_refused_and_nothing_saved(
    demo_accounts, login
):
    client = login("town-xiaolan")
    wrong = client.post("/registry/persons/new/", _form(id_number=MAN[:-1] + "0"))
    assert wrong.status_code == 422
    assert "wrong check character" in wrong.content.decode()
    assert 'value="陈大文"' in wrong.content.decode()  # the input is kept
    other = make_household(GUZHEN)
    foreign = client.post(
        "/registry/persons/new/", _form(household="existing", household_key=other.key)
    )
    assert foreign.status_code == 422
    assert "No such household in your town." in foreign.content.decode()
    assert not Person.objects.filter(id_number=MAN).exists()
    assert Household.objects.count() == 1


def test_only_town_officers_register_at_the_window(demo_accounts, login):
    for username in ("office", "civil-affairs", "auditor"):
        assert login(username).get("/registry/persons/new/").status_code == 403


def test_the_search_as_you_type_stays_in_the_officers_town(demo_accounts, login):
    make_person(XIAOLAN, name="李小兰")
    make_person(GUZHEN, name="李古镇")
    page = login("town-xiaolan").get(
        "/registry/persons/search/?q=李", HTTP_HX_REQUEST="true"
    )
    text = page.content.decode()
    assert "李小兰" in text
    assert "李古镇" not in text


def test_a_number_registered_elsewhere_reveals_nothing_and_is_referred(
    demo_accounts, login
):
    """Issue 14: the window's refusal of a known number names no town, in either
    case, and the refusal is filed for the registry office, not for the window."""
    make_person(GUZHEN, id_number=MAN, name="古镇人")
    woman = id_number(dt.date(1990, 1, 1), 124)
    make_person(XIAOLAN, id_number=woman, name="小榄人")
    client = login("town-xiaolan", "zh-hans")
    answers = []
    for number in (MAN, woman):
        response = client.post("/registry/persons/new/", _form(id_number=number))
        assert response.status_code == 422
        text = response.content.decode()
        assert "无法在此登记" in text
        for revealing in ("古镇", "Guzhen", "古镇人", "小榄人", "already"):
            assert revealing not in text
        answers.append(text.split("无法在此登记")[1].split("（编号")[0])
    assert answers[0] == answers[1]  # the same words for either town
    referral = AuditEntry.objects.filter(
        object_type="registry.person", changes__refused=True
    ).order_by("seq")
    assert [entry.town_code for entry in referral] == [GUZHEN, XIAOLAN]
    assert MAN not in str(referral[0].changes)
    assert Person.objects.filter(id_number=MAN).get().town_id == GUZHEN
