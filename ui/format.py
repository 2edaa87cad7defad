"""German display of service DataFrames: column labels and dd.mm.yyyy dates."""

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


_MARKDOWN_SPECIALS = "\\`*_{}[]()#+-.!|<>~$:"


def plain(text: str | None) -> str:
    """User text made safe for st.markdown: shown literally, never as Markdown or HTML."""
    if not text:
        return ""
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIALS else char for char in text)
