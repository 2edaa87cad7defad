"""Import of Organisationen, Personen and Mitgliedschaften from CSV or Excel.

A file is read, matched against the stored records by natural key (an organization by
AGS or else name, a person by name and organization, a membership by committee, person
and start date), and previewed row by row: neu, unverändert, geändert or Fehler. The
preview runs the real write path inside a transaction that is rolled back, so it applies
exactly the checks the commit will; the commit repeats it and keeps everything or nothing.
The exporters here write the same column layout, so re-importing an export changes nothing.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from models import (
    Committee,
    Membership,
    MembershipCreate,
    Organization,
    OrganizationCreate,
    Person,
    PersonCreate,
)
from models.enums import FederalState, LabeledEnum, MembershipRole, OrganizationKind
from services import uploads
from services.actor import SYSTEM_ACTOR, Actor
from services.committees import MEMBERSHIPS
from services.csv_export import EXCEL_DE, FORMULA_STARTS, CsvDialect, write_csv
from services.errors import DomainError, FieldError
from services.organizations import ORGANIZATIONS
from services.permissions import require_writer
from services.persons import PERSONS
from services.validation import clean_text, validate
from services.write import EntityCommands, add_row, apply_changes, key, transaction

NEW = "neu"
UNCHANGED = "unverändert"
CHANGED = "geändert"
ERROR = "Fehler"

YES = {"ja", "j", "x", "true", "wahr", "1", "yes"}
NO = {"nein", "n", "false", "falsch", "0", "no"}
_FILE = "Die Importdatei"
# Every row runs through the write path twice (preview, commit); this covers a file of all
# German municipalities and keeps a runaway file from occupying the server for an hour.
IMPORT_MAX_ROWS = 20_000


@dataclass(frozen=True)
class ImportColumn:
    """One column of an import file: machine header, German header, model field."""

    key: str
    label: str
    field: str
    required: bool = False


@dataclass(frozen=True)
class ImportKind:
    """What can be imported: Organisationen, Personen or Mitgliedschaften."""

    code: str
    label: str
    noun: str
    columns: tuple[ImportColumn, ...]

    @property
    def headers(self) -> dict[str, str]:
        """Machine header → German header, in file order (the layout write_csv takes)."""
        return {column.key: column.label for column in self.columns}

    def column(self, key: str) -> ImportColumn:
        return next(c for c in self.columns if c.key == key)

    def column_of_field(self, field_name: str | None) -> ImportColumn | None:
        return next((c for c in self.columns if c.field == field_name), None)


ORGANIZATION_KIND = ImportKind(
    "organisationen",
    "Organisationen",
    "Organisation",
    (
        ImportColumn("name", "Name", "name", required=True),
        ImportColumn("short_name", "Kurzname", "short_name"),
        ImportColumn("kind", "Art", "kind", required=True),
        ImportColumn("state", "Bundesland", "state"),
        ImportColumn("parent", "übergeordnete Organisation", "parent_id"),
        ImportColumn("ags", "AGS", "ags"),
        ImportColumn("source", "Quelle", "source"),
    ),
)
PERSON_KIND = ImportKind(
    "personen",
    "Personen",
    "Person",
    (
        ImportColumn("title", "Titel", "title"),
        ImportColumn("given_name", "Vorname", "given_name"),
        ImportColumn("family_name", "Nachname", "family_name", required=True),
        ImportColumn("function", "Funktion", "function"),
        ImportColumn("email", "E-Mail", "email"),
        ImportColumn("organization", "Organisation", "organization_id"),
        ImportColumn("source", "Quelle", "source"),
    ),
)
MEMBERSHIP_KIND = ImportKind(
    "mitgliedschaften",
    "Mitgliedschaften",
    "Mitgliedschaft",
    (
        ImportColumn("committee", "Gremium", "committee_id", required=True),
        ImportColumn("person", "Person", "person_id", required=True),
        ImportColumn("role", "Rolle", "role"),
        ImportColumn("deputy_rank", "Rang", "deputy_rank"),
        ImportColumn("on_behalf_of", "entsandt von", "on_behalf_of_id"),
        ImportColumn("voting_right", "stimmberechtigt", "voting_right"),
        ImportColumn("start_date", "Beginn", "start_date"),
        ImportColumn("end_date", "Ende", "end_date"),
        ImportColumn("source", "Quelle", "source"),
    ),
)
IMPORT_KINDS: dict[str, ImportKind] = {
    kind.code: kind for kind in (ORGANIZATION_KIND, PERSON_KIND, MEMBERSHIP_KIND)
}


@dataclass
class RowReport:
    """The outcome of one data row: its status, the cells as read and German messages."""

    line: int
    cells: dict[str, str]
    status: str = NEW
    messages: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportPreview:
    """A read file with the status each row would get; `commit_import` stores it."""

    kind: str
    filename: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    file_errors: list[str] = field(default_factory=list)
    reports: list[RowReport] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.status == ERROR for r in self.reports)

    @property
    def messages(self) -> list[str]:
        """Every error, file-wide ones first, then by row."""
        return self.file_errors + [m for r in self.reports for m in r.messages]

    def count(self, status: str) -> int:
        return sum(1 for r in self.reports if r.status == status)

    @property
    def summary(self) -> str:
        """One German sentence: how many rows get which status."""
        label = IMPORT_KINDS[self.kind].label
        if self.file_errors:
            return f"{label}: Die Datei kann so nicht eingelesen werden."
        parts = [f"{self.count(s)} {s}" for s in (NEW, CHANGED, UNCHANGED, ERROR)]
        return f"{label}: {len(self.reports)} Zeilen – " + ", ".join(parts) + "."

    def frame(self) -> pd.DataFrame:
        """The preview table: Zeile, Status, the file's columns and the messages."""
        kind = IMPORT_KINDS[self.kind]
        labels = [kind.column(c).label for c in self.columns]
        rows = [
            {
                "Zeile": r.line,
                "Status": r.status,
                **{kind.column(c).label: r.cells.get(c, "") for c in self.columns},
                "Meldungen": " ".join(
                    r.messages or ([f"geändert: {', '.join(r.changed)}"] if r.changed else [])
                ),
            }
            for r in self.reports
        ]
        return pd.DataFrame(rows, columns=["Zeile", "Status", *labels, "Meldungen"])

    def report_lines(self) -> list[str]:
        """The German report for the command line."""
        lines = [self.summary, *self.file_errors]
        for report in self.reports:
            if report.messages:
                lines.extend(report.messages)
            elif report.changed:
                lines.append(f"Zeile {report.line}: geändert ({', '.join(report.changed)}).")
        return lines


@dataclass(frozen=True)
class ImportResult:
    """What a committed import stored."""

    kind: str
    created: int
    updated: int
    unchanged: int

    @property
    def summary(self) -> str:
        label = IMPORT_KINDS[self.kind].label
        return (
            f"{label}: {self.created} neu angelegt, {self.updated} geändert, "
            f"{self.unchanged} unverändert."
        )


# --- reading files ------------------------------------------------------------------


def _kind(kind: str) -> ImportKind:
    found = IMPORT_KINDS.get(kind.strip().casefold())
    if found is None:
        found = next(
            (k for k in IMPORT_KINDS.values() if k.label.casefold() == kind.casefold()), None
        )
    if found is None:
        raise DomainError(
            f"„{kind}“ kann nicht importiert werden; möglich: "
            + ", ".join(k.label for k in IMPORT_KINDS.values())
            + ".",
            "kind",
        )
    return found


def _clean(value: str) -> str:
    # Cleaned as the write path cleans, so a cell matches the record it was stored as.
    value = clean_text(value) or ""
    # Undo the export's formula neutralisation, so a round trip gives back the same text.
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    text = uploads.decode_text(data, what=_FILE)
    header = text.split("\n", 1)[0]
    if header.count(";") or header.count(","):
        delimiter = ";" if header.count(";") >= header.count(",") else ","
    else:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
        except csv.Error:
            delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Line numbers as a spreadsheet shows them: the header is line 1.
    return [(number, row) for number, row in enumerate(reader, start=1)]


def _excel_cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    with uploads.open_zip(
        data,
        what=_FILE,
        max_entries=uploads.XLSX_MAX_ENTRIES,
        max_unpacked=uploads.XLSX_MAX_UNPACKED_BYTES,
    ) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise DomainError(f"{_FILE} ist keine Excel-Arbeitsmappe (.xlsx).", "file")
    try:
        frame = pd.read_excel(io.BytesIO(data), header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DomainError(f"Die Excel-Datei kann nicht gelesen werden ({exc}).", "file") from exc
    return [
        (int(index) + 1, [_excel_cell(v) for v in values])
        for index, values in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]


def read_rows(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """The file's rows with their line numbers: an .xlsx by its content, else CSV.

    Too large, mistyped or unreadable files are refused with a German DomainError.
    """
    uploads.check_size(data, limit=uploads.IMPORT_MAX_BYTES, what=_FILE)
    # The content decides, not the name: a renamed or mislabelled file is read as what it is.
    if uploads.looks_like_old_office(data):
        raise DomainError(
            "Das alte Excel-Format (.xls) wird nicht gelesen; bitte als .xlsx oder CSV speichern.",
            "file",
        )
    if uploads.looks_like_zip(data):
        raw = _read_xlsx(data)
    elif filename.lower().endswith(".xlsx"):
        raise DomainError(f"{_FILE} heißt .xlsx, ist aber keine Excel-Datei.", "file")
    else:
        raw = _read_csv(data)
    return [(number, [_clean(str(cell)) for cell in cells]) for number, cells in raw]


def _header_key(kind: ImportKind, header: str) -> str | None:
    wanted = header.strip().lstrip("\ufeff").casefold()
    for column in kind.columns:
        if wanted in {column.key.casefold(), column.label.casefold()}:
            return column.key
    return None


def _parse_file(kind: ImportKind, data: bytes, filename: str) -> ImportPreview:
    preview = ImportPreview(kind=kind.code, filename=filename, columns=[], rows=[])
    try:
        rows = [(n, cells) for n, cells in read_rows(data, filename) if any(cells)]
    except DomainError as exc:
        # Reported like every other problem of the file, so the preview shows it.
        preview.file_errors.extend(error.message for error in exc.errors)
        return preview
    expected = ", ".join(column.label for column in kind.columns)
    if not rows:
        preview.file_errors.append("Die Datei ist leer.")
        return preview
    if len(rows) - 1 > IMPORT_MAX_ROWS:
        preview.file_errors.append(
            f"Die Datei hat {len(rows) - 1} Datenzeilen; ein Import liest höchstens "
            f"{IMPORT_MAX_ROWS}. Bitte in mehrere Dateien aufteilen."
        )
        return preview
    _, header = rows[0]
    keys: list[str | None] = []
    for title in header:
        column_key = _header_key(kind, title)
        if not title:
            preview.file_errors.append(f"Eine Spalte hat keine Überschrift; erwartet: {expected}.")
        elif column_key is None:
            preview.file_errors.append(f"Spalte „{title}“ ist unbekannt; erwartet: {expected}.")
        elif column_key in keys:
            preview.file_errors.append(f"Spalte „{title}“ kommt doppelt vor.")
        keys.append(column_key)
    for column in kind.columns:
        if column.required and column.key not in keys:
            preview.file_errors.append(f"Spalte „{column.label}“ fehlt; erwartet: {expected}.")
    preview.columns = [k for k in keys if k is not None]
    if len(rows) == 1:
        preview.file_errors.append("Die Datei enthält keine Datenzeilen.")
    for number, cells in rows[1:]:
        if len(cells) > len(keys) and any(cells[len(keys) :]):
            preview.file_errors.append(
                f"Zeile {number}: mehr Werte ({len(cells)}) als Spalten ({len(keys)})."
            )
        padded = cells + [""] * (len(keys) - len(cells))
        preview.rows.append((number, {k: padded[i] for i, k in enumerate(keys) if k is not None}))
    return preview


# --- parsing cells ------------------------------------------------------------------


class _RowError(Exception):
    """One cell that cannot be read; collected per row."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def parse_date(text: str) -> date:
    """dd.mm.yyyy (also d.m.yyyy) or ISO yyyy-mm-dd."""
    text = text.strip()
    try:
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?", text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise ValueError(text)


def _enum(enum_cls: type[LabeledEnum], text: str) -> LabeledEnum:
    wanted = text.casefold()
    for member in enum_cls:
        if wanted in {member.value.casefold(), member.label.casefold()}:
            return member
    raise ValueError(text)


class _Cells:
    """Typed access to one row's cells; every problem becomes a German message."""

    def __init__(self, kind: ImportKind, line: int, cells: dict[str, str]) -> None:
        self.kind = kind
        self.line = line
        self.cells = cells
        self.errors: list[str] = []

    def has(self, column: str) -> bool:
        return column in self.cells

    def text(self, column: str) -> str | None:
        return self.cells.get(column) or None

    def message(self, column: str | None, text: str) -> str:
        if column is None:
            return f"Zeile {self.line}: {text}"
        return f"Zeile {self.line}, Spalte „{self.kind.column(column).label}“: {text}"

    def fail(self, column: str | None, text: str) -> None:
        self.errors.append(self.message(column, text))

    def date(self, column: str) -> date | None:
        raw = self.text(column)
        if raw is None:
            return None
        try:
            return parse_date(raw)
        except ValueError:
            self.fail(column, f"„{raw}“ ist kein gültiges Datum (TT.MM.JJJJ).")
            return None

    def enum(self, column: str, enum_cls: type[LabeledEnum]) -> Any:
        raw = self.text(column)
        if raw is None:
            return None
        try:
            return _enum(enum_cls, raw)
        except ValueError:
            allowed = ", ".join(member.label for member in enum_cls)
            self.fail(column, f"„{raw}“ ist keine gültige Angabe; möglich: {allowed}.")
            return None

    def integer(self, column: str) -> int | None:
        raw = self.text(column)
        if raw is None:
            return None
        if re.fullmatch(r"[+-]?\d+", raw):
            return int(raw)
        self.fail(column, f"„{raw}“ ist keine ganze Zahl.")
        return None

    def boolean(self, column: str) -> bool | None:
        raw = self.text(column)
        if raw is None:
            return None
        if raw.casefold() in YES:
            return True
        if raw.casefold() in NO:
            return False
        self.fail(column, f"„{raw}“ ist weder ja noch nein.")
        return None


# --- the stored records, indexed by what a file names them with ------------------------


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


class _Directory:
    """Active organizations, persons and committees by name; kept current during a run."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.org_names: dict[str, set[int]] = {}
        self.org_short: dict[str, set[int]] = {}
        self.org_ags: dict[str, int] = {}
        self.person_names: dict[str, set[int]] = {}
        self.person_keys: dict[tuple[str, str], set[int]] = {}
        self.committees: dict[str, set[int]] = {}
        for org in session.exec(select(Organization).where(col(Organization.archived).is_(False))):
            self.add_organization(org)
        for person in session.exec(select(Person).where(col(Person.archived).is_(False))):
            self.add_person(person)
        for committee in session.exec(select(Committee).where(col(Committee.archived).is_(False))):
            self.committees.setdefault(_fold(committee.name), set()).add(key(committee))
            if committee.short_name:
                self.committees.setdefault(_fold(committee.short_name), set()).add(key(committee))

    def add_organization(self, org: Organization) -> None:
        self.org_names.setdefault(_fold(org.name), set()).add(key(org))
        if org.short_name:
            self.org_short.setdefault(_fold(org.short_name), set()).add(key(org))
        if org.ags:
            self.org_ags[org.ags] = key(org)

    def forget_organization(self, org: Organization) -> None:
        self.org_names.get(_fold(org.name), set()).discard(key(org))
        self.org_short.get(_fold(org.short_name), set()).discard(key(org))
        if org.ags and self.org_ags.get(org.ags) == key(org):
            del self.org_ags[org.ags]

    def add_person(self, person: Person) -> None:
        org = self.session.get(Organization, person.organization_id or -1)
        for name in person_names(person, org.name if org else None):
            self.person_names.setdefault(_fold(name), set()).add(key(person))
        self.person_keys.setdefault(
            (_fold(person.given_name), _fold(person.family_name)), set()
        ).add(key(person))

    def forget_person(self, person: Person) -> None:
        for ids in (*self.person_names.values(), *self.person_keys.values()):
            ids.discard(key(person))

    def organization(self, name: str) -> int:
        """The one active organization named `name` (name, AGS or short name)."""
        for candidates in (
            self.org_names.get(_fold(name), set()),
            {self.org_ags[name]} if name in self.org_ags else set(),
            self.org_short.get(_fold(name), set()),
        ):
            if len(candidates) == 1:
                return next(iter(candidates))
            if len(candidates) > 1:
                raise ValueError(
                    f"Organisation „{name}“ ist mehrdeutig ({len(candidates)} Treffer); "
                    "bitte den AGS angeben."
                )
        raise ValueError(f"Organisation „{name}“ ist nicht bekannt.")

    def person(self, name: str) -> int:
        candidates = self.person_names.get(_fold(name), set())
        if len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            raise ValueError(
                f"Person „{name}“ ist mehrdeutig; bitte „Name (Organisation)“ angeben."
            )
        raise ValueError(f"Person „{name}“ ist nicht bekannt.")

    def committee(self, name: str) -> int:
        candidates = self.committees.get(_fold(name), set())
        if len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            raise ValueError(f"Gremium „{name}“ ist mehrdeutig.")
        raise ValueError(f"Gremium „{name}“ ist nicht bekannt.")


def person_names(person: Person, organization: str | None) -> list[str]:
    """The spellings an import file may use for a person."""
    plain = " ".join(p for p in (person.given_name, person.family_name) if p)
    names = [person.full_name, plain]
    if person.given_name:
        names.append(f"{person.family_name}, {person.given_name}")
        if person.title:
            names.append(f"{person.family_name}, {person.title} {person.given_name}")
    if organization:
        names += [f"{name} ({organization})" for name in list(names)]
    return names


# --- one run over the rows: the preview rolls it back, the commit keeps it ---------------


RowValues = dict[str, Any]


@dataclass
class _Plan:
    """How one kind turns a row into field values and finds the record it means."""

    kind: ImportKind
    model: type[SQLModel]
    schema: type[BaseModel]
    commands: EntityCommands[Any]
    values: Callable[[_Cells, _Directory], RowValues]
    natural_key: Callable[[RowValues, _Cells], tuple[Any, ...]]
    existing: Callable[[Session, _Directory, RowValues, _Cells], SQLModel | None]


def _ref(cells: _Cells, column: str, resolve: Callable[[str], int]) -> int | None:
    raw = cells.text(column)
    if raw is None:
        return None
    try:
        return resolve(raw)
    except ValueError as exc:
        cells.fail(column, str(exc))
        return None


def _organization_values(cells: _Cells, directory: _Directory) -> RowValues:
    values: RowValues = {}
    readers: dict[str, Callable[[], Any]] = {
        "name": lambda: cells.text("name"),
        "short_name": lambda: cells.text("short_name"),
        "kind": lambda: cells.enum("kind", OrganizationKind),
        "state": lambda: cells.enum("state", FederalState),
        "parent": lambda: _ref(cells, "parent", directory.organization),
        "ags": lambda: cells.text("ags"),
        "source": lambda: cells.text("source"),
    }
    for column, read in readers.items():
        if cells.has(column):
            values[cells.kind.column(column).field] = read()
    return values


def _organization_key(values: RowValues, _cells: _Cells) -> tuple[Any, ...]:
    if values.get("ags"):
        return ("ags", values["ags"])
    return ("name", _fold(values.get("name")))


def _existing_organization(
    session: Session, directory: _Directory, values: RowValues, cells: _Cells
) -> SQLModel | None:
    ags = values.get("ags")
    if ags and ags in directory.org_ags:
        return session.get(Organization, directory.org_ags[ags])
    candidates = [
        org
        for org_id in directory.org_names.get(_fold(values.get("name")), set())
        if (org := session.get(Organization, org_id)) is not None
        and (not ags or org.ags in (None, ags))
    ]
    if len(candidates) > 1:
        cells.fail("name", f"„{values.get('name')}“ gibt es mehrfach; bitte den AGS angeben.")
        return None
    return candidates[0] if candidates else None


def _person_values(cells: _Cells, directory: _Directory) -> RowValues:
    values: RowValues = {}
    for column in ("title", "given_name", "family_name", "function", "email", "source"):
        if cells.has(column):
            values[column] = cells.text(column)
    if cells.has("organization"):
        values["organization_id"] = _ref(cells, "organization", directory.organization)
    return values


def _person_key(values: RowValues, _cells: _Cells) -> tuple[Any, ...]:
    return (
        _fold(values.get("given_name")),
        _fold(values.get("family_name")),
        values.get("organization_id"),
    )


def _existing_person(
    session: Session, directory: _Directory, values: RowValues, cells: _Cells
) -> SQLModel | None:
    ids = directory.person_keys.get(
        (_fold(values.get("given_name")), _fold(values.get("family_name"))), set()
    )
    candidates = [p for i in ids if (p := session.get(Person, i)) is not None]
    if "organization_id" in values:
        candidates = [p for p in candidates if p.organization_id == values["organization_id"]]
    if len(candidates) > 1:
        cells.fail(
            "family_name",
            "Diese Person gibt es mehrfach; bitte die Spalte „Organisation“ ausfüllen.",
        )
        return None
    return candidates[0] if candidates else None


def _membership_values(cells: _Cells, directory: _Directory) -> RowValues:
    values: RowValues = {
        "committee_id": _ref(cells, "committee", directory.committee),
        "person_id": _ref(cells, "person", directory.person),
    }
    if cells.has("role") and cells.text("role") is not None:
        values["role"] = cells.enum("role", MembershipRole)
    if cells.has("deputy_rank"):
        values["deputy_rank"] = cells.integer("deputy_rank")
    if cells.has("on_behalf_of"):
        values["on_behalf_of_id"] = _ref(cells, "on_behalf_of", directory.organization)
    if cells.has("voting_right") and cells.text("voting_right") is not None:
        values["voting_right"] = cells.boolean("voting_right")
    for column in ("start_date", "end_date"):
        if cells.has(column):
            values[column] = cells.date(column)
    if cells.has("source"):
        values["source"] = cells.text("source")
    return values


def _membership_key(values: RowValues, _cells: _Cells) -> tuple[Any, ...]:
    return (values.get("committee_id"), values.get("person_id"), values.get("start_date"))


def _existing_membership(
    session: Session, _directory: _Directory, values: RowValues, cells: _Cells
) -> SQLModel | None:
    statement = select(Membership).where(
        Membership.committee_id == values.get("committee_id"),
        Membership.person_id == values.get("person_id"),
        col(Membership.archived).is_(False),
    )
    if cells.has("start_date"):
        start = values.get("start_date")
        statement = statement.where(
            col(Membership.start_date).is_(None)
            if start is None
            else col(Membership.start_date) == start
        )
    found = list(session.exec(statement))
    if len(found) > 1:
        cells.fail("start_date", "Die Person hat mehrere Mitgliedschaften; bitte „Beginn“ angeben.")
        return None
    return found[0] if found else None


PLANS: dict[str, _Plan] = {
    "organisationen": _Plan(
        ORGANIZATION_KIND,
        Organization,
        OrganizationCreate,
        ORGANIZATIONS,
        _organization_values,
        _organization_key,
        _existing_organization,
    ),
    "personen": _Plan(
        PERSON_KIND,
        Person,
        PersonCreate,
        PERSONS,
        _person_values,
        _person_key,
        _existing_person,
    ),
    "mitgliedschaften": _Plan(
        MEMBERSHIP_KIND,
        Membership,
        MembershipCreate,
        MEMBERSHIPS,
        _membership_values,
        _membership_key,
        _existing_membership,
    ),
}


def _ordered(kind: ImportKind, rows: list[tuple[int, dict[str, str]]]) -> list[int]:
    """Row indexes so that an organization comes before those naming it as parent."""
    if kind is not ORGANIZATION_KIND:
        return list(range(len(rows)))
    by_name = {_fold(cells.get("name")): i for i, (_, cells) in enumerate(rows)}

    def depth(index: int, seen: frozenset[int] = frozenset()) -> int:
        parent = by_name.get(_fold(rows[index][1].get("parent")))
        if parent is None or parent == index or parent in seen:
            return 0
        return 1 + depth(parent, seen | {index})

    return sorted(range(len(rows)), key=lambda i: (depth(i), i))


def _run(session: Session, actor: Actor, preview: ImportPreview) -> list[RowReport]:
    """Apply every row through the write path (in the caller's transaction)."""
    plan = PLANS[preview.kind]
    directory = _Directory(session)
    seen: dict[tuple[Any, ...], int] = {}
    reports: dict[int, RowReport] = {}
    for index in _ordered(plan.kind, preview.rows):
        line, raw = preview.rows[index]
        cells = _Cells(plan.kind, line, raw)
        report = RowReport(line=line, cells=raw)
        reports[index] = report
        values = plan.values(cells, directory)
        natural_key = plan.natural_key(values, cells)
        row: SQLModel | None = None
        if not cells.errors and natural_key in seen:
            cells.fail(
                None,
                f"Dieselbe {plan.kind.noun} steht schon in Zeile {seen[natural_key]} "
                "(doppelte Zeile).",
            )
        elif not cells.errors:
            seen[natural_key] = line
            row = plan.existing(session, directory, values, cells)
        if cells.errors:
            report.status, report.messages = ERROR, cells.errors
            continue
        try:
            _apply(session, actor, plan, directory, values, row, report)
        except DomainError as exc:
            report.status = ERROR
            for error in exc.errors:
                column = plan.kind.column_of_field(error.field)
                if column is None or column.key not in raw:
                    report.messages.append(cells.message(None, error.message))
                    continue
                # "„Rolle“: Das Gremium …" reads better without the repeated column name.
                text = error.message.removeprefix(f"„{column.label}“: ")
                report.messages.append(cells.message(column.key, text))
    return [reports[i] for i in sorted(reports, key=lambda i: reports[i].line)]


def _apply(
    session: Session,
    actor: Actor,
    plan: _Plan,
    directory: _Directory,
    values: RowValues,
    row: SQLModel | None,
    report: RowReport,
) -> None:
    check = plan.commands.check
    if row is None:
        validated = validate(plan.schema, values)
        if check:
            check(session, validated, None)
        created = add_row(session, actor, plan.model, validated.model_dump())
        _remember(directory, created)
        report.status = NEW
        return
    changes = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changes:
        report.status = UNCHANGED
        return
    current = {name: getattr(row, name) for name in plan.schema.model_fields}
    merged = validate(plan.schema, {**current, **changes})
    if check:
        check(session, merged, row)
    _forget(directory, row)
    apply_changes(session, actor, row, merged.model_dump(include=set(changes)))
    _remember(directory, row)
    report.status = CHANGED
    report.changed = [
        column.label for name in changes if (column := plan.kind.column_of_field(name)) is not None
    ]


def _remember(directory: _Directory, row: SQLModel) -> None:
    if isinstance(row, Organization):
        directory.add_organization(row)
    elif isinstance(row, Person):
        directory.add_person(row)


def _forget(directory: _Directory, row: SQLModel) -> None:
    if isinstance(row, Organization):
        directory.forget_organization(row)
    elif isinstance(row, Person):
        directory.forget_person(row)


def preview_import(session: Session, *, kind: str, data: bytes, filename: str) -> ImportPreview:
    """Read a file and report per row what an import would do; nothing is stored.

    The rows run through the real write path and are rolled back, so a preview without
    errors is one the commit accepts (unless someone changes the data in between).
    Anything pending in `session` is rolled back too.
    """
    import_kind = _kind(kind)
    preview = _parse_file(import_kind, data, filename)
    if preview.file_errors:
        return preview
    try:
        preview.reports = _run(session, SYSTEM_ACTOR, preview)
    except SQLAlchemyError as exc:
        preview.file_errors.append(
            f"Die Daten widersprechen gespeicherten Daten ({exc.__class__.__name__})."
        )
    finally:
        session.rollback()
    return preview


def commit_import(session: Session, *, actor: Actor, preview: ImportPreview) -> ImportResult:
    """Store a previewed import: every row with its audit event, or nothing at all."""
    require_writer(actor)
    if preview.has_errors:
        raise DomainError(
            "Der Import enthält Fehler und wurde nicht ausgeführt; bitte die Datei korrigieren.",
            "file",
        )
    with transaction(session):
        reports = _run(session, actor, preview)
        failed = [m for r in reports for m in r.messages]
        if failed:
            # The data changed since the preview: refuse the whole file.
            raise DomainError.many([FieldError("file", message) for message in failed])
    preview.reports = reports
    return ImportResult(
        kind=preview.kind,
        created=preview.count(NEW),
        updated=preview.count(CHANGED),
        unchanged=preview.count(UNCHANGED),
    )


# --- exports in the import layout -----------------------------------------------------


def _org_names(session: Session) -> dict[int, str]:
    # Two columns, not ORM objects: a country's organizations would take a second.
    return {
        int(org_id): name  # type: ignore[arg-type]
        for org_id, name in session.exec(select(Organization.id, Organization.name))
    }


def organizations_csv(
    session: Session,
    dialect: CsvDialect = EXCEL_DE,
    *,
    include_non_public: bool = True,
    include_archived: bool = False,
) -> bytes:
    """Organizations in the import layout (re-importing the file changes nothing).

    Organizations carry nothing non-public; `include_non_public` is the common export hook.
    """
    names = _org_names(session)
    # The file's columns only, not ORM objects: a second less at country scale.
    statement = sa.select(
        col(Organization.name),
        col(Organization.short_name),
        col(Organization.kind),
        col(Organization.state),
        col(Organization.parent_id),
        col(Organization.ags),
        col(Organization.source),
    ).order_by(col(Organization.name), col(Organization.id))
    if not include_archived:
        statement = statement.where(col(Organization.archived).is_(False))
    rows = [
        {
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "state": state,
            "parent": names.get(parent_id) if parent_id else None,
            "ags": ags,
            "source": source,
        }
        for name, short_name, kind, state, parent_id, ags, source in session.execute(statement)
    ]
    return write_csv(rows, ORGANIZATION_KIND.headers, dialect)


def persons_csv(
    session: Session,
    dialect: CsvDialect = EXCEL_DE,
    *,
    include_non_public: bool = True,
    include_archived: bool = False,
) -> bytes:
    """Persons in the import layout (re-importing the file changes nothing)."""
    names = _org_names(session)
    statement = select(Person).order_by(
        col(Person.family_name), col(Person.given_name), col(Person.id)
    )
    if not include_archived:
        statement = statement.where(col(Person.archived).is_(False))
    rows = [
        {
            "title": person.title,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "function": person.function,
            "email": person.email,
            "organization": names.get(person.organization_id) if person.organization_id else None,
            "source": person.source,
        }
        for person in session.exec(statement)
    ]
    return write_csv(rows, PERSON_KIND.headers, dialect)


def _person_labels(session: Session) -> dict[int, str]:
    """Each active person's name, with the organization where the name alone is ambiguous."""
    names = _org_names(session)
    persons = list(session.exec(select(Person).where(col(Person.archived).is_(False))))
    counts: dict[str, int] = {}
    for person in persons:
        counts[_fold(person.full_name)] = counts.get(_fold(person.full_name), 0) + 1
    labels = {}
    for person in persons:
        label = person.full_name
        org = names.get(person.organization_id or -1)
        if counts[_fold(label)] > 1 and org:
            label = f"{label} ({org})"
        labels[key(person)] = label
    return labels


def memberships_csv(
    session: Session,
    dialect: CsvDialect = EXCEL_DE,
    *,
    include_non_public: bool = True,
    include_archived: bool = False,
) -> bytes:
    """Memberships in the import layout, by committee and start (re-import changes nothing)."""
    names = _org_names(session)
    people = _person_labels(session)
    committees = {key(c): c.name for c in session.exec(select(Committee))}
    statement = select(Membership).order_by(
        col(Membership.committee_id), col(Membership.start_date), col(Membership.id)
    )
    if not include_archived:
        statement = statement.where(col(Membership.archived).is_(False))
    rows: Iterable[dict[str, Any]] = (
        {
            "committee": committees.get(membership.committee_id),
            "person": people.get(membership.person_id),
            "role": membership.role,
            "deputy_rank": membership.deputy_rank,
            "on_behalf_of": names.get(membership.on_behalf_of_id)
            if membership.on_behalf_of_id
            else None,
            "voting_right": membership.voting_right,
            "start_date": membership.start_date,
            "end_date": membership.end_date,
            "source": membership.source,
        }
        for membership in session.exec(statement)
    )
    return write_csv(rows, MEMBERSHIP_KIND.headers, dialect)


EXPORTERS: dict[str, Callable[..., bytes]] = {
    "organisationen": organizations_csv,
    "personen": persons_csv,
    "mitgliedschaften": memberships_csv,
}

__all__ = [
    "CHANGED",
    "ERROR",
    "EXPORTERS",
    "IMPORT_KINDS",
    "IMPORT_MAX_ROWS",
    "NEW",
    "UNCHANGED",
    "ImportColumn",
    "ImportKind",
    "ImportPreview",
    "ImportResult",
    "RowReport",
    "commit_import",
    "memberships_csv",
    "organizations_csv",
    "parse_date",
    "person_names",
    "persons_csv",
    "preview_import",
    "read_rows",
]
