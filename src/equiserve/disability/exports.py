"""Disability services as XLSX, values as text never as formulas (issue 17)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from equiserve.disability.models import Category, InstitutionKind, ServiceKind
from equiserve.formatting import town_name
from equiserve.registry.privacy import mask_id_number
from equiserve.spreadsheets import xlsx_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _save(workbook) -> bytes:
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def key_label(dimension: str, key: str) -> str:
    if dimension == "town":
        return town_name(key)
    if dimension == "category":
        return str(dict(Category.choices).get(key, key))
    if dimension == "grade":
        return _("Grade %(grade)s") % {"grade": key}
    return _("All towns")


def coverage_workbook(tables, *, year: int, kind: str) -> bytes:
    """Return the coverage tables, one sheet per breakdown."""
    workbook = Workbook(write_only=True)
    service = str(dict(ServiceKind.choices).get(kind, _("Any service")))
    titles = {
        "total": _("Total"),
        "town": _("By town"),
        "category": _("By category"),
        "grade": _("By grade"),
    }
    for dimension in ("total", "town", "category", "grade"):
        sheet = workbook.create_sheet(titles[dimension])
        sheet.append([f"{year} · {service}"])
        header = [titles[dimension]]
        for group in (
            _("Everyone"),
            _("Registered in Zhongshan"),
            _("Registered elsewhere"),
        ):
            header += [
                f"{group}: {_('on the register')}",
                f"{group}: {_('served')}",
                f"{group}: {_('coverage')}",
            ]
        sheet.append(header)
        for row in tables[dimension]:
            values = [key_label(dimension, row.key)]
            for group in ("all", "zhongshan", "elsewhere"):
                cell = row.cells[group]
                values += [cell.registered, cell.served, cell.share]
            sheet.append(xlsx_row(sheet, values))
    return _save(workbook)


def register_workbook(records) -> bytes:
    """Return the register: masked ID numbers, year of birth only (issue 10)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Register"))
    sheet.append(
        [
            _("Person number"),
            _("Name"),
            _("Resident ID number"),
            _("Year of birth"),
            _("Town"),
            _("Category"),
            _("Grade"),
            _("Certificate issued on"),
        ]
    )
    categories = dict(Category.choices)
    for r in records:
        sheet.append(
            xlsx_row(
                sheet,
                [
                    r.person.key,
                    r.person.name,
                    mask_id_number(r.person.id_number),
                    r.person.birth_date.year,
                    town_name(r.person.town_id),
                    str(categories.get(r.category, r.category)),
                    r.grade,
                    r.issued_on,
                ],
            )
        )
    return _save(workbook)


def institutions_workbook(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Institutions"))
    sheet.append(
        [
            _("Institution"),
            _("Kind"),
            _("Town"),
            _("Capacity"),
            _("Occupied"),
            _("Free places"),
            _("Waiting"),
        ]
    )
    kinds = dict(InstitutionKind.choices)
    for row in rows:
        i = row["institution"]
        sheet.append(
            xlsx_row(
                sheet,
                [
                    i.name,
                    str(kinds.get(i.kind, i.kind)),
                    town_name(i.town_id) if i.town_id else _("City-wide"),
                    row["capacity"],
                    row["occupancy"],
                    row["free"],
                    row["waiting"],
                ],
            )
        )
    return _save(workbook)
