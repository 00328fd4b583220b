"""The projects tracker as XLSX, values as text never as formulas (issue 17)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from equiserve.formatting import town_name
from equiserve.projects.models import Milestone
from equiserve.projects.selectors import ProjectBudget
from equiserve.spreadsheets import xlsx_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def projects_workbook(budgets: list[ProjectBudget], milestones, lang: str) -> bytes:
    """Return the projects with their money, and every milestone, as XLSX."""
    from equiserve.accounts.models import Department
    from equiserve.projects.models import FundingSource, MilestoneStatus, ProjectStatus

    departments, statuses = _labels(Department.choices), _labels(ProjectStatus.choices)
    sources = _labels(FundingSource.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Projects"))
    sheet.append(
        [
            _("Clause"),
            _("Project"),
            _("Lead department"),
            _("Town"),
            _("Funding source"),
            _("Status"),
            _("Budget (CNY)"),
            _("Spent (CNY)"),
            _("Remaining (CNY)"),
            _("Dates and budget illustrative"),
        ]
    )
    for row in budgets:
        name = row.name_en if lang == "en" and row.name_en else row.name
        sheet.append(
            xlsx_row(
                sheet,
                [
                    row.clause,
                    name,
                    departments.get(row.lead_department, row.lead_department),
                    town_name(row.town_code) if row.town_code else _("City-wide"),
                    sources.get(row.funding_source, row.funding_source),
                    statuses.get(row.status, row.status),
                    row.budget,
                    row.spent_to_date,
                    row.remaining,
                    _("yes") if row.illustrative else _("no"),
                ],
            )
        )
    _milestone_sheet(workbook, _("Milestones"), milestones, lang, MilestoneStatus)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def overdue_workbook(milestones, lang: str) -> bytes:
    from equiserve.projects.models import MilestoneStatus

    workbook = Workbook(write_only=True)
    _milestone_sheet(
        workbook, _("Overdue milestones"), milestones, lang, MilestoneStatus
    )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _milestone_sheet(workbook, title, milestones, lang, statuses_enum) -> None:
    statuses = _labels(statuses_enum.choices)
    sheet = workbook.create_sheet(title)
    sheet.append(
        [
            _("Clause"),
            _("Project"),
            _("Milestone"),
            _("Planned start"),
            _("Planned completion"),
            _("Actual completion"),
            _("Status"),
            _("Note"),
        ]
    )
    for m in milestones:
        m: Milestone
        project = m.project
        sheet.append(
            xlsx_row(
                sheet,
                [
                    project.clause,
                    project.name_en
                    if lang == "en" and project.name_en
                    else project.name,
                    m.name_en if lang == "en" and m.name_en else m.name,
                    m.planned_start,
                    m.planned_date,
                    m.actual_date,
                    statuses.get(m.status, m.status),
                    m.note,
                ],
            )
        )
