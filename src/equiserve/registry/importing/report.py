"""The outcome of an import: every problem with its place, or what was created."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

PERSONS, HOUSEHOLDS = "persons", "households"
MAX_SHOWN = 1000


@dataclass(frozen=True)
class ImportIssue:
    """One problem in an import file: which sheet, row and column, and what."""

    sheet: str
    row: int | None
    column: str
    message: str

    def where(self) -> str:
        """Return the place in the user's language: `persons, row 5, id_number`."""
        parts = [self.sheet_label()]
        if self.row is not None:
            parts.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            parts.append(self.column)
        return ", ".join(part for part in parts if part)

    def sheet_label(self) -> str:
        return {PERSONS: _("persons"), HOUSEHOLDS: _("households")}.get(
            self.sheet, self.sheet
        )

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


@dataclass
class RegistryImportReport:
    """What an import did: the records created, or every problem found."""

    source: str
    errors: list[ImportIssue] = field(default_factory=list)
    households: int = 0
    persons: int = 0
    health_records: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.errors.append(ImportIssue(sheet, row, column, message))

    def headline(self) -> str:
        """Return the one-line outcome in the active language."""
        if self.errors:
            return _("%(file)s: %(count)d error(s); nothing was imported.") % {
                "file": self.source,
                "count": len(self.errors),
            }
        return _(
            "%(file)s: %(persons)d persons and %(households)d households imported."
        ) % {
            "file": self.source,
            "persons": self.persons,
            "households": self.households,
        }

    @property
    def shown_errors(self) -> list[ImportIssue]:
        """Return the first problems; a wholly wrong file would list thousands."""
        return self.errors[:MAX_SHOWN]

    def more_errors(self) -> str:
        """Return the line saying how many problems are not listed, or ''."""
        hidden = len(self.errors) - MAX_SHOWN
        if hidden <= 0:
            return ""
        return _("… and %(count)d more problems, not listed.") % {"count": hidden}

    def lines(self) -> list[str]:
        """Return the report as readable lines, in the active language."""
        more = self.more_errors()
        shown = [str(issue) for issue in self.shown_errors]
        return [self.headline(), *shown, *([more] if more else [])]
