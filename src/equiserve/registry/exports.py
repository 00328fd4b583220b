"""The persons list as an XLSX workbook, ID numbers masked, years of birth only."""

import io

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from equiserve.choices import choices_for
from equiserve.formatting import town_name
from equiserve.registry.models import Person
from equiserve.registry.privacy import mask_id_number
from equiserve.spreadsheets import xlsx_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_VALUES = [
    "pk",
    "key",
    "name",
    "id_number",
    "sex",
    "birth_date",
    "hukou",
    "hukou_kind",
    "town_id",
    "village__name_zh",
    "household__key",
    "points",
    "school_stage",
    "low_income",
]


def persons_workbook(persons: QuerySet[Person]) -> tuple[bytes, list[int]]:
    """Return the workbook and the ids of the persons written, in order."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("persons"))
    sheet.append(
        [
            _("person number"),
            _("name"),
            _("resident ID number (masked)"),
            _("sex"),
            _("year of birth"),
            _("household registration"),
            _("registration type"),
            _("town"),
            _("village or community"),
            _("household number"),
            _("points score"),
            _("school stage"),
            _("low-income"),
        ]
    )
    sexes = dict(choices_for("sex"))
    hukou = dict(choices_for("hukou"))
    kinds = dict(choices_for("hukou_kind"))
    stages = dict(choices_for("school_stage"))
    written: list[int] = []
    for row in persons.values(*_VALUES).iterator(chunk_size=2000):
        written.append(row["pk"])
        sheet.append(
            xlsx_row(
                sheet,
                [
                    row["key"],
                    row["name"],
                    mask_id_number(row["id_number"]),
                    str(sexes.get(row["sex"], row["sex"])),
                    # The year only: the masked characters are the birth date
                    # (issue 10, finding 1).
                    row["birth_date"].year,
                    str(hukou.get(row["hukou"], row["hukou"])),
                    str(kinds.get(row["hukou_kind"], "")),
                    town_name(row["town_id"]),
                    row["village__name_zh"] or "",
                    row["household__key"] or "",
                    row["points"],
                    str(stages.get(row["school_stage"], row["school_stage"])),
                    _("yes") if row["low_income"] else _("no"),
                ],
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), written
