"""Date periods with open ends (None = since always / until further notice)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def overlaps(
    start_a: date | None, end_a: date | None, start_b: date | None, end_b: date | None
) -> bool:
    """True when the two closed periods share at least one day."""
    return (end_b is None or start_a is None or start_a <= end_b) and (
        end_a is None or start_b is None or start_b <= end_a
    )


def within(
    start: date | None, end: date | None, outer_start: date | None, outer_end: date | None
) -> bool:
    """True when [start, end] lies inside [outer_start, outer_end]."""
    if outer_start is not None and (start is None or start < outer_start):
        return False
    return not (outer_end is not None and (end is None or end > outer_end))


def valid_on(start: date | None, end: date | None, day: date) -> bool:
    """True when `day` falls inside the period."""
    return (start is None or start <= day) and (end is None or day <= end)


def format_date(day: date | None) -> str:
    """dd.mm.yyyy, the one date format of the UI and the German exports."""
    return day.strftime("%d.%m.%Y") if day else ""


def format_datetime(moment: datetime | None) -> str:
    """dd.mm.yyyy HH:MM; aware times (bookkeeping, UTC) are shown in German local time."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(BERLIN)
    return moment.strftime("%d.%m.%Y %H:%M")
