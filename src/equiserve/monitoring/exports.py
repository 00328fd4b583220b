"""Reports as XLSX (openpyxl): a summary sheet, then one sheet per domain with charts.

The figures are the very values the pages show (rounded as shown), so a
spreadsheet and the page it came from agree cell for cell.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from equiserve.formatting import half_year, unit_label
from equiserve.monitoring.definitions import in_language
from equiserve.monitoring.selectors import STATE_LABELS
from equiserve.monitoring.targets import STATUS_LABELS
from equiserve.spreadsheets import xlsx_cell

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8ECF0")
STATUS_FILLS = {
    "met": "D8EFE0",
    "on_track": "E3F0FA",
    "at_risk": "FFF1CC",
    "off_track": "F8D7D3",
}
FIGURE_COLUMNS = 10  # clause … state, in figure_header()


def _sheet_title(domain, lang: str, used: set[str]) -> str:
    title = f"{domain.id} {in_language(domain.title, lang)}"
    title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31]
    while title in used:
        title = title[:29] + f"~{len(used)}"
    used.add(title)
    return title


def _header(sheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = xlsx_cell(sheet, row, column, label)
        cell.font = BOLD
        cell.fill = HEADER_FILL


def figure_header() -> list[str]:
    return [
        _("Clause"),
        _("Indicator"),
        _("Code"),
        _("Place"),
        _("Group"),
        _("Value"),
        _("Unit"),
        _("Target"),
        _("Status"),
        _("Figure state"),
    ]


def _figure_row(sheet, row: int, figure, names: dict, lang: str) -> None:
    indicator = figure.indicator
    target = figure.judgement.target
    rule = figure.judgement.rule or (
        indicator.targets[-1] if indicator.targets else None
    )
    cells = [
        indicator.clause,
        indicator.label_in(lang),
        indicator.code,
        names.get(figure.place, figure.place),
        _group_label(figure.group),
        figure.value,
        unit_label(indicator.unit),
        None if target is None else f"{rule.symbol if rule else ''} {target:g}".strip(),
        str(STATUS_LABELS.get(figure.status, figure.status)),
        str(STATE_LABELS[figure.state]),
    ]
    for column, value in enumerate(cells, start=1):
        xlsx_cell(sheet, row, column, value)
    fill = STATUS_FILLS.get(figure.status)
    if fill:
        sheet.cell(row=row, column=9).fill = PatternFill("solid", fgColor=fill)
    if figure.value is not None:
        decimals = indicator.decimals
        sheet.cell(row=row, column=6).number_format = (
            "0" if not decimals else "0." + "0" * decimals
        )


def _group_label(group: str) -> str:
    return {
        "": "",
        "zhongshan": _("Registered"),
        "elsewhere": _("Migrant"),
        "urban": _("Urban"),
        "rural": _("Rural"),
    }.get(group, group)


def _narrative(sheet, row: int, items: list[dict], lang: str) -> int:
    xlsx_cell(sheet, row, 1, _("Progress by plan item")).font = BOLD
    row += 1
    _header(
        sheet,
        row,
        [
            _("Clause"),
            _("Item"),
            _("Item status"),
            _("Progress"),
            _("Problems"),
            _("Next steps"),
        ],
    )
    for entry in items:
        row += 1
        plan, item = entry["plan"], entry["item"]
        values = [
            plan.clause,
            in_language(plan.title, lang),
            item.get_status_display() if item and item.status else "",
            item.progress if item else "",
            item.problems if item else "",
            item.next_steps if item else "",
        ]
        for column, value in enumerate(values, start=1):
            cell = xlsx_cell(sheet, row, column, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return row + 2


def _town_chart(sheet, row: int, indicator, figures, names, lang, anchor_col) -> int:
    """Write a place/value table for one indicator and a bar chart beside it."""
    xlsx_cell(sheet, row, 1, indicator.label_in(lang)).font = BOLD
    _header(sheet, row + 1, [_("Place"), _("Value")])
    first = row + 2
    for offset, figure in enumerate(figures):
        xlsx_cell(sheet, first + offset, 1, names.get(figure.place, figure.place))
        xlsx_cell(sheet, first + offset, 2, figure.value)
    last = first + len(figures) - 1
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"{indicator.label_in(lang)} ({unit_label(indicator.unit)})"
    chart.legend = None
    chart.height = max(6.0, 0.45 * len(figures) + 2)
    chart.width = 16
    chart.add_data(
        Reference(sheet, min_col=2, min_row=row + 1, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    sheet.add_chart(chart, f"{get_column_letter(anchor_col)}{row}")
    rows_taken = max(len(figures) + 3, int(chart.height / 0.5) + 2)
    return row + rows_taken


def _value_target_chart(sheet, row: int, figures, lang: str, anchor_col: int) -> int:
    """Chart each indicator's value (and its target, if any) for one place."""
    shown = [f for f in figures if f.value is not None]
    if not shown:
        return row
    _header(sheet, row, [_("Indicator"), _("Value"), _("Target")])
    for offset, figure in enumerate(shown, start=1):
        xlsx_cell(sheet, row + offset, 1, figure.indicator.label_in(lang))
        xlsx_cell(sheet, row + offset, 2, figure.value)
        xlsx_cell(sheet, row + offset, 3, figure.judgement.target)
    last = row + len(shown)
    chart = BarChart()
    chart.type = "bar"
    chart.title = _("Value and target")
    chart.height = max(6.0, 1.2 * len(shown) + 3)
    chart.width = 16
    chart.add_data(
        Reference(sheet, min_col=2, max_col=3, min_row=row, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=row + 1, max_row=last))
    sheet.add_chart(chart, f"{get_column_letter(anchor_col)}{row}")
    return max(last + 2, row + int(chart.height / 0.5) + 2)


def _domain_sheet(workbook, domain, figures, items, names, lang, used) -> None:
    sheet = workbook.create_sheet(_sheet_title(domain, lang, used))
    xlsx_cell(
        sheet, 1, 1, f"{domain.id} {in_language(domain.title, lang)}"
    ).font = Font(bold=True, size=13)
    _header(sheet, 3, figure_header())
    row = 3
    for figure in figures:
        row += 1
        _figure_row(sheet, row, figure, names, lang)
    row += 2
    row = _narrative(sheet, row, items, lang)
    anchor = 4
    by_indicator: dict = {}
    for figure in figures:
        if not figure.group:
            by_indicator.setdefault(figure.indicator, []).append(figure)
    multi = {i: f for i, f in by_indicator.items() if len(f) > 1}
    if multi:
        for indicator, place_figures in multi.items():
            row = _town_chart(sheet, row, indicator, place_figures, names, lang, anchor)
    else:
        _value_target_chart(
            sheet, row, [f for f in figures if not f.group], lang, anchor
        )
    widths = [9, 40, 34, 16, 10, 10, 10, 12, 12, 18]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary(workbook, title: str, rows: list[tuple[str, object]]):
    sheet = workbook.active
    sheet.title = _("Summary")[:31]
    xlsx_cell(sheet, 1, 1, title).font = Font(bold=True, size=13)
    for offset, (label, value) in enumerate(rows, start=3):
        xlsx_cell(sheet, offset, 1, label).font = BOLD
        xlsx_cell(sheet, offset, 2, value)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 60
    return sheet


def report_workbook(*, report, author, figures, items, names, lang) -> bytes:
    """Return one report as XLSX: a summary, then a sheet per domain."""
    from equiserve.portal.catalogue import load_catalogue

    workbook = Workbook()
    _summary(
        workbook,
        _("Half-yearly progress report %(period)s: %(author)s")
        % {"period": half_year(report.period), "author": author},
        [
            (_("Period"), half_year(report.period)),
            (_("Report by"), author),
            (_("Status"), str(report.get_status_display())),
            (_("Revision"), report.revision),
            (_("Due on"), report.due_on.isoformat()),
            (
                _("First submitted"),
                report.first_submitted_at.isoformat()
                if report.first_submitted_at
                else "",
            ),
            (_("Office's comment"), report.review_comment),
        ],
    )
    used: set[str] = set()
    for domain in load_catalogue().domains:
        clauses = {item.clause for item in domain.items}
        domain_items = [entry for entry in items if entry["plan"].clause in clauses]
        domain_figures = [f for f in figures if f.indicator.domain == domain.id]
        if not domain_items and not domain_figures:
            continue
        _domain_sheet(workbook, domain, domain_figures, domain_items, names, lang, used)
    return _save(workbook)


def city_workbook(city, *, names, lang) -> bytes:
    """Return the consolidated city report as XLSX (figures marked by their state)."""
    workbook = Workbook()
    sheet = _summary(
        workbook,
        _("Consolidated progress report %(period)s")
        % {"period": half_year(city.period.id)},
        [(_("Period"), half_year(city.period.id))],
    )
    row = 5
    _header(sheet, row, [_("Report by"), _("Status"), _("Due on"), _("Timeliness")])
    for expected in city.reports:
        row += 1
        status = (
            expected.report.get_status_display()
            if expected.report
            else _("Not started")
        )
        for column, value in enumerate(
            [
                expected.name,
                str(status),
                expected.due.isoformat(),
                str(expected.timeliness.label),
            ],
            start=1,
        ):
            xlsx_cell(sheet, row, column, value)
    used: set[str] = set()
    for block in city.domains:
        figures = []
        for entry in block["indicators"]:
            if entry["city"] is not None:
                figures.append(entry["city"])
            figures += [f for f in entry["towns"] if f is not None]
        items = [
            {"plan": item["plan"], "item": item["item"]} for item in block["items"]
        ]
        _domain_sheet(workbook, block["domain"], figures, items, names, lang, used)
    return _save(workbook)
