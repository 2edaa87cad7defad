"""German display of service DataFrames: column labels and dd.mm.yyyy dates."""

import re
from datetime import date, datetime

import pandas as pd

from services.periods import format_date, format_datetime

# One glossary for column headers across pages (code name → German label).
COLUMN_LABELS = {
    "name": "Name",
    "short_name": "Kurzname",
    "kind": "Art",
    "state": "Stand",
    "host": "Träger",
    "members": "Mitglieder",
    "meetings": "Sitzungen",
    "title": "Titel",
    "parties": "Parteien",
    "concluded_on": "vereinbart am",
    "target_date": "Zieltermin",
    "status": "Status",
    "source": "Quelle",
    "committee": "Gremium",
    "number": "Nr.",
    "start": "Beginn",
    "location": "Ort",
    "reference": "Beschluss-Nr.",
    "text": "Beschlusstext",
    "responsible": "verantwortlich",
    "due_date": "Frist",
    "days_overdue": "Tage überfällig",
}


def german_table(
    frame: pd.DataFrame, columns: list[str], labels: dict[str, str] | None = None
) -> pd.DataFrame:
    """Select `columns`, format dates as dd.mm.yyyy and rename to German labels."""
    names = {**COLUMN_LABELS, **(labels or {})}
    shown = frame[columns].copy()
    for column in columns:
        shown[column] = shown[column].map(_format_cell)
    return shown.rename(columns={c: names.get(c, c) for c in columns})


def _format_cell(value: object) -> object:
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value


# Characters that open or close Markdown or HTML anywhere in a line ("=" underlines a
# heading, "&" starts an entity). Everything else is escaped only where it means something.
_MARKDOWN_SPECIALS = "\\`*_{}[]<>#|~$=&"
_SHORTCODE = re.compile(r":(?=\S)")  # :smile:, :material/home:, :red[...]
_LINE_START = re.compile(r"^(\d+(?=[.)])|[-+])")  # "1." and "1)" lists, "-"/"+" bullets, "---"


def plain(text: str | None) -> str:
    """User text made safe for st.markdown and alerts: shown literally, never as markup."""
    if not text:
        return ""
    return "\n".join(_plain_line(line) for line in text.split("\n"))


def _plain_line(line: str) -> str:
    body = line.lstrip(" \t")
    # An indented line would render as a code block; non-breaking spaces keep the look only.
    indent = "\u00a0" * len(line[: len(line) - len(body)].replace("\t", "    "))
    escaped = "".join(f"\\{char}" if char in _MARKDOWN_SPECIALS else char for char in body)
    escaped = _SHORTCODE.sub(r"\\:", escaped)
    escaped = _LINE_START.sub(lambda match: _escape_marker(match.group(0)), escaped, count=1)
    return indent + escaped


def _escape_marker(marker: str) -> str:
    # Escapes the list marker: "1." becomes "1\." and a bullet "-" becomes "\-".
    return marker + "\\" if marker[0].isdigit() else "\\" + marker
