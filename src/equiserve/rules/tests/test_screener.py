"""The public screener: no login, zh and en, the engine's explanations, clear errors.

No test here touches the database: the screener stores nothing.
"""

import re

import pytest
from django.test import Client

URL = "/screener/"
MIGRANT_MOTHER = {
    "date": "2015-07-01",
    "birth_date": "1985-03-10",
    "sex": "F",
    "hukou": "elsewhere",
    "town": "442000106",
    "resident_since": "2010-05-01",
    "points": "180",
    "topics": ["child"],
    "child_birth_date": "2007-09-01",
    "child_hukou": "elsewhere",
    "child_school_stage": "primary",
    "child_relation": "guardian",
    "action": "screen",
}
VETERAN = {
    "date": "2015-07-01",
    "birth_date": "1990-01-01",
    "sex": "M",
    "hukou": "zhongshan",
    "hukou_kind": "urban",
    "town": "442000001",
    "topics": ["veteran", "death"],
    "veteran_kind": "conscript",
    "veteran_discharged": "2015-03-01",
    "death_date": "2015-06-20",
    "death_hukou": "zhongshan",
    "death_storage_days": "5",
    "death_ash_storage_years": "12",
    "action": "screen",
}


@pytest.fixture
def client():
    return Client()


def _eligible(page: str, subject: str) -> list[str]:
    """Return the programmes listed as available for `subject` (me, child, …)."""
    return _listed(page, subject, "services eligible")


def _undetermined(page: str, subject: str) -> list[str]:
    """Return the programmes `subject` may qualify for, given more facts (issue 12)."""
    return _listed(page, subject, "services undetermined")


def _listed(page: str, subject: str, css: str) -> list[str]:
    article = page.split(f'id="subject-{subject}"', 1)[1].split("</article>", 1)[0]
    if f'class="{css}"' not in article:
        return []
    listed = article.split(f'class="{css}"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'data-programme="([a-z_0-9]+)"', listed)


def test_the_page_asks_in_chinese_first_and_in_english_on_request(client):
    page = client.get(URL)
    assert page.status_code == 200 and page["Content-Language"] == "zh-hans"
    assert "石岐区" in page.content.decode()  # towns named in Chinese
    assert "no-store" in page["Cache-Control"]
    english = client.get(URL + "?lang=en").content.decode()
    assert "Which public services can I get?" in english
    assert "Shiqi Subdistrict" in english
    assert "Nothing you type here is stored" in english
    # Every follow-up is in the page, so it works without JavaScript; each
    # names the answer it follows and the script hides it until then (issue 14,
    # deliverable 8).
    assert 'name="birth_date"' in english and 'name="points"' in english
    assert 'data-when="topics=child"' in english
    assert 'data-when="hukou=elsewhere"' in english
    assert (
        "Answer only if you ticked “I have a child at school or in kindergarten” above."
        in english
    )


def test_a_migrant_mother_and_her_pupil_see_their_services_with_clauses_in_chinese(
    client,
):
    response = client.post(URL, MIGRANT_MOTHER)
    assert response.status_code == 200
    page = response.content.decode()
    # The free family-planning services of 3.3.4 too (issue 12, point 8).
    assert _eligible(page, "me") == ["prepregnancy_check", "migrant_family_planning"]
    assert _eligible(page, "child") == ["student_insurance"]
    assert (
        "符合非本市户籍学生参加居民医保并享受同等财政补助（第3.4.2条）的全部条件"
        in page
    )
    assert "监护人积分不低于100分（监护人积分：180分）" in page
    # Why not, with the clause: the pupil is not registered for 3.1.1.
    assert (
        "不符合学前教育资助（第3.1.1条）：未满足条件“本市户籍（户籍：非本市户籍（异地务工人员））”"
        in page
    )
    assert "sessionid" not in response.cookies


def test_a_veteran_sees_his_grant_and_the_family_the_free_funeral_in_english(client):
    page = client.post(URL + "?lang=en", VETERAN).content.decode()
    assert _eligible(page, "me") == ["veteran_grant"]
    assert _eligible(page, "deceased") == ["funeral"]
    assert "clause 3.4.3" in page and "clause 3.5" in page
    assert "Amount: ¥56,322.00" in page  # issue 14, deliverable 5
    assert "1 × ¥56,322.00 = ¥56,322.00" in page  # the engine's arithmetic
    # The limits come from programmes.yaml's items (issue 11), one line each.
    assert "Body storage free for up to 3 days." in page
    assert (
        "Ashes storage in the funeral home&#x27;s Siqin Building free for up to 10 years."
        in page
    )
    # Every free item with the plan's qualifiers (issue 12, point 6).
    for item in (
        "Body transport by ordinary hearse",
        "Small farewell hall",
        "Cremation in an ordinary furnace",
    ):
        assert f"{item} free." in page


def test_the_free_funeral_items_carry_the_plans_qualifiers_in_chinese(client):
    """Issue 12, point 6: ordinary hearse, small hall, ordinary furnace, 思亲楼."""
    page = client.post(URL + "?lang=zh-hans", VETERAN).content.decode()
    for line in (
        "遗体接运（普通殡葬专用车）免费。",
        "遗体告别厅租用（小型告别厅）免费。",
        "遗体火化（普通火化炉）免费。",
        "骨灰寄存（殡仪馆思亲楼）免费，最多10年。",
    ):
        assert line in page


def test_a_guardian_who_is_someone_else_leaves_3_4_2_undetermined(client):
    """Issue 12, point 4: no guardian named is unknown, not a no; say what is needed."""
    answers = {**MIGRANT_MOTHER, "child_relation": "other"}
    page = client.post(URL + "?lang=en", answers).content.decode()
    assert _eligible(page, "child") == []
    assert _undetermined(page, "child") == ["student_insurance"]
    assert "You may qualify; we would need to know: guardian</p>" in page


@pytest.mark.parametrize(
    ("lang", "needed"),
    [
        (
            "en",
            "You may qualify; we would need to know: resident in the city since</p>",
        ),
        ("zh", "您可能符合条件；我们还需要了解：在本市居住起始日</p>"),
    ],
)
def test_a_migrant_who_leaves_the_residence_date_empty_may_qualify(
    client, lang, needed
):
    """Issue 12, point 4: an unanswered question is neither a yes nor a no."""
    answers = {**MIGRANT_MOTHER, "resident_since": ""}
    page = client.post(f"{URL}?lang={lang}", answers).content.decode()
    assert "prepregnancy_check" not in _eligible(page, "me")
    # So are 3.3.4's free services (issue 12, point 8).
    assert _undetermined(page, "me") == [
        "prepregnancy_check",
        "migrant_family_planning",
    ]
    assert needed in page
    given = client.post(f"{URL}?lang={lang}", MIGRANT_MOTHER).content.decode()
    assert "prepregnancy_check" in _eligible(given, "me")
    assert _undetermined(given, "me") == []


@pytest.mark.parametrize(
    ("change", "english", "chinese"),
    [
        (
            {"birth_date": "2015-02-30"},
            "Impossible date: 2015-02-30",
            "不存在的日期：2015-02-30",
        ),
        (
            {"town": "442000999"},
            "Unknown town code &quot;442000999&quot;",
            "未知镇区代码 &quot;442000999&quot;",
        ),
        ({"points": "many"}, "Expected a number", "应为数字"),
        ({"points": "-5"}, "Must not be negative: -5", "不能为负数：-5"),
    ],
)
def test_bad_input_gets_a_clear_error_in_the_users_language(
    client, change, english, chinese
):
    for query, expected in (("?lang=en", english), ("", chinese)):
        response = client.post(URL + query, {**MIGRANT_MOTHER, **change})
        assert response.status_code == 200
        page = response.content.decode()
        assert expected in page
        assert 'class="results"' not in page  # no partial answer
        assert 'role="alert"' in page


def test_a_section_ticked_but_not_answered_asks_for_its_answers(client):
    answers = {**MIGRANT_MOTHER, "topics": ["child", "veteran"]}
    page = client.post(URL + "?lang=en", answers).content.decode()
    assert page.count("This field is required.") == 2  # kind and discharge date
    assert 'class="results"' not in page


def test_type_1_diabetes_for_a_child_needs_the_child(client):
    answers = {
        **VETERAN,
        "topics": ["t1d"],
        "t1d_who": "child",
        "t1d_diagnosed": "2013-05-05",
        "t1d_hospital_grade": "3A",
    }
    page = client.post(URL + "?lang=en", answers).content.decode()
    assert "to answer for a child." in page and 'class="results"' not in page


def test_a_follow_up_not_asked_for_is_never_required(client):
    """Issue 14, deliverable 8: a follow-up the resident did not open is ignored."""
    answers = {
        "date": "2015-07-01",
        "birth_date": "1985-03-02",
        "sex": "F",
        "hukou": "zhongshan",
        "town": "442000001",
        "action": "screen",
    }
    page = client.post(URL + "?lang=en", answers).content.decode()
    assert "This field is required." not in page and 'class="results"' in page
    # Ticked, its questions must be answered, and only they.
    ticked = client.post(URL + "?lang=en", {**answers, "topics": ["hardship"]})
    errors = _errors(ticked.content.decode())
    assert errors == {"hardship_cause", "hardship_date"}


def test_an_income_with_thousands_separators_is_read(client):
    """Issue 14, deliverable 8: "45,000" and "45，000" are 45000."""
    answers = {
        "date": "2015-07-01",
        "birth_date": "1985-03-02",
        "sex": "F",
        "hukou": "elsewhere",
        "resident_since": "2010-01-01",
        "town": "442000001",
        "topics": ["housing"],
        "household_size": "3",
        "floor_area_m2": "30",
        "assets": "",
        "points": "120",
        "action": "screen",
    }
    pages = [
        client.post(URL + "?lang=en", {**answers, "annual_income": income})
        for income in ("45000", "45,000", "45，000")
    ]
    steps = [_income_step(page.content.decode()) for page in pages]
    assert steps[0] == steps[1] == steps[2]
    assert "45,000.00" in steps[0]


def _income_step(page: str) -> str:
    article = page.split('id="subject-home"', 1)[1].split("</article>", 1)[0]
    return next(
        line for line in article.splitlines() if "annual_income" in line
    ).strip()


def _errors(page: str) -> set[str]:
    """Return the names of the questions marked as needing an answer."""
    return set(
        re.findall(
            r'class="field[^"]*has-error">[^>]*?(?:>[^<]*<[^>]*?)*?name="([a-z_0-9]+)"',
            page,
        )
    )


def test_the_date_defaults_into_the_plan_and_warns_outside_it(client, monkeypatch):
    """Issue 14, deliverable 8: after the plan, the day checked is its last day."""
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 12, 5))
    page = client.get(URL + "?lang=en").content.decode()
    assert 'name="date" value="2016-12-31"' in page
    assert "The plan runs from" not in page
    late = client.post(URL + "?lang=en", {"date": "2018-03-01"}).content.decode()
    assert (
        "The plan runs from 2014-01-01 to 2016-12-31; on this day its rules may no "
        "longer, or not yet, apply." in late
    )


def test_each_service_comes_with_its_guide(client):
    """Issue 14, deliverable 8: where, documents, time limit and phone, marked."""
    page = client.post(URL, VETERAN).content.decode()
    service = page.split('data-programme="veteran_grant"', 1)[1].split("</li>\n", 1)[0]
    assert "办理地点" in service and "户籍所在镇区的民政办（退役安置）" in service
    assert "退出现役证" in service and "12345" in service
    assert "以上为示意信息，以市民政局确认为准" in service
    assert 'media="print"' in page


@pytest.mark.django_db
def test_the_home_page_links_to_the_screener(client):
    assert 'href="/screener/"' in client.get("/").content.decode()
