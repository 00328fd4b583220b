"""The federation records a rehabilitation service and marks a milestone late (issue 17).

Drives Debian's Chromium through Playwright (skipped without it, except in CI):
the town's coverage changes on the coverage page; the milestone marked late
appears in the office's overdue list and in the federation's half-yearly report.
"""

import datetime as dt

import pytest

from browser.conftest import CHROMIUM_ARGS, chromium_or_skip, watch_csp

EXPECT_TIMEOUT_MS = 20_000


def _login(browser, url: str, username: str):
    context = browser.new_context()
    context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"demo-{username}")
    page.click("form.login-form button[type=submit]")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_federation_records_a_service_and_marks_a_milestone_late(
    live_server, demo_accounts
):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect, sync_playwright

    from equiserve.disability.models import Service
    from equiserve.disability.tests.factories import make_record
    from equiserve.monitoring.services import report_open
    from equiserve.projects.tests.factories import make_milestone, make_project
    from equiserve.testkit import XIAOLAN

    chromium = chromium_or_skip()
    federation = get_user_model().objects.get(username="disabled-federation")
    served, _unserved = make_record(XIAOLAN), make_record(XIAOLAN)
    project = make_project(name_en="Children's school", code="childrens-school")
    milestone = make_milestone(
        project, dt.date(2016, 6, 30), name_en="First pupils admitted"
    )
    report = report_open(period="2016H1", actor=federation)
    xiaolan_all = f"#coverage-town tr[data-key='{XIAOLAN}'] td[data-group=all]"

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        page = _login(browser, live_server.url, "disabled-federation")
        csp_console = watch_csp(page)
        page.goto(f"{live_server.url}/disability/?year=2015")
        expect(page.locator(xiaolan_all)).to_have_text("0.0%")

        page.goto(f"{live_server.url}/disability/register/{served.pk}/")
        page.select_option("#service-form select[name=kind]", "rehabilitation")
        page.fill("#service-form input[name=start_date]", "2015-05-01")
        page.fill("#service-form input[name=end_date]", "2015-07-31")
        page.fill("#service-form input[name=cost]", "1234.50")
        page.click("#service-form button[type=submit]")
        expect(page.locator("#services")).to_contain_text("Rehabilitation")
        expect(page.locator("#services")).to_contain_text("¥1,234.50")
        page.goto(f"{live_server.url}/disability/?year=2015")
        expect(page.locator(xiaolan_all)).to_have_text("50.0%")

        page.goto(f"{live_server.url}/projects/{project.code}/")
        row = page.locator(f"#milestone-{milestone.pk}")
        row.locator("select[name=status]").select_option("late")
        row.locator("input[name=note]").fill("Delayed by the foundations")
        row.locator("button[type=submit]").click()
        expect(page.locator(f"#milestone-{milestone.pk}")).to_contain_text("Late")
        page.goto(f"{live_server.url}/monitoring/reports/{report.pk}/")
        milestones = page.locator("#report-milestones")
        expect(milestones).to_contain_text("First pupils admitted")
        expect(milestones).to_contain_text("Late · overdue")
        assert csp_console == []

        office = _login(browser, live_server.url, "office")
        office.goto(f"{live_server.url}/projects/overdue/")
        overdue = office.locator("#overdue")
        expect(overdue).to_contain_text("First pupils admitted")
        expect(overdue).to_contain_text("Late")
        office.goto(f"{live_server.url}/projects/")
        expect(office.locator("#project-gantt canvas")).to_have_count(1)
        browser.close()

    assert Service.objects.get().record == served


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_department_sets_a_project_up_and_files_a_document(
    live_server, demo_accounts
):
    from playwright.sync_api import expect, sync_playwright

    from equiserve.audit.models import AuditEntry
    from equiserve.projects.models import Project
    from equiserve.projects.tests.factories import PDF

    chromium = chromium_or_skip()
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        page = _login(browser, live_server.url, "disabled-federation")
        csp_console = watch_csp(page)
        page.goto(f"{live_server.url}/projects/")
        page.click("#new-project")
        form = page.locator("#project-form")
        form.locator("input[name=code]").fill("service-centre")
        form.locator("input[name=name]").fill("残疾人综合服务中心")
        form.locator("input[name=name_en]").fill("Comprehensive service centre")
        form.locator("input[name=clause]").fill("3.9")
        form.locator("input[name=budget]").fill("3000000.00")
        form.locator("input[name='milestones-0-name']").fill("立项")
        form.locator("input[name='milestones-0-name_en']").fill("Approval")
        form.locator("input[name='milestones-0-planned_start']").fill("2015-01-01")
        form.locator("input[name='milestones-0-planned_date']").fill("2015-06-30")
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/projects/service-centre/")
        expect(page.locator("table.milestones")).to_contain_text("Approval")

        upload = page.locator("#document-form")
        upload.locator("input[name=title]").fill("Feasibility study")
        upload.locator("input[name=file]").set_input_files(
            {"name": "study.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        upload.locator("button[type=submit]").click()
        link = page.locator("#documents a", has_text="Feasibility study")
        expect(link).to_have_count(1)
        with page.expect_download() as info:
            link.click()
        assert info.value.suggested_filename == "study.pdf"
        with open(info.value.path(), "rb") as downloaded:
            assert downloaded.read() == PDF

        other = _login(browser, live_server.url, "education")
        other.goto(f"{live_server.url}/projects/service-centre/")
        expect(other.locator("#document-form")).to_have_count(0)
        expect(other.locator("#edit-project")).to_have_count(0)
        assert csp_console == []
        browser.close()

    assert Project.objects.get().lead_department == "disabled-federation"
    assert (
        AuditEntry.objects.filter(
            object_type="projects.document", action="view"
        ).count()
        == 1
    )
