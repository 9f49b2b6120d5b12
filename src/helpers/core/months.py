"""Months as 'YYYY-MM' strings (they sort correctly as text) and periods between them."""
from __future__ import annotations

import re
from dataclasses import dataclass

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])(\.\.[0-9]{4}-(0[1-9]|1[0-2]))?$"
_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def is_month(text: str) -> bool:
    return isinstance(text, str) and re.match(MONTH_PATTERN, text) is not None


def month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def month_from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(start: str, end: str) -> list[str]:
    """Every month from start to end, both included."""
    return [month_from_index(i) for i in range(month_index(start), month_index(end) + 1)]


def month_name(month: str, short: bool = False) -> str:
    name = _NAMES[int(month[5:7]) - 1]
    return (name[:3] if short else name) + " " + month[:4]


@dataclass(frozen=True, order=True)
class Period:
    """Consecutive months, both ends included."""

    start: str
    end: str

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'2023-09..2023-11' or a single month '2023-10'. The caller has checked the pattern."""
        start, _, end = text.partition("..")
        return cls(start, end or start)

    @property
    def months(self) -> list[str]:
        return month_range(self.start, self.end)

    def __str__(self) -> str:
        return self.start if self.start == self.end else f"{self.start}..{self.end}"

    def label(self) -> str:
        """A reader's name: 'October 2023' or 'Sep–Nov 2023'."""
        if self.start == self.end:
            return month_name(self.start)
        if self.start[:4] == self.end[:4]:
            return f"{month_name(self.start, True)[:3]}–{month_name(self.end, True)}"
        return f"{month_name(self.start, True)}–{month_name(self.end, True)}"


# -- periods a reader asks for ------------------------------------------------------------------

REQUEST_FORMS = "YYYY-MM..YYYY-MM, YYYY-MM, YYYY (a calendar year) or YYYY-Qn (a quarter)"
_YEAR = re.compile(r"^([0-9]{4})$")
_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$", re.IGNORECASE)


def parse_period_request(text: str) -> Period:
    """A period as a reader writes it: '2023-01..2023-12', '2023-09', '2023' or '2023-Q3'.

    Raises ValueError, with the forms allowed, for anything else or a period ending before it
    starts."""
    text = text.strip() if isinstance(text, str) else text
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a period; write {REQUEST_FORMS}")
    if year := _YEAR.match(text):
        return Period(f"{year[1]}-01", f"{year[1]}-12")
    if quarter := _QUARTER.match(text):
        first = 3 * int(quarter[2]) - 2
        return Period(f"{quarter[1]}-{first:02d}", f"{quarter[1]}-{first + 2:02d}")
    if not re.match(PERIOD_PATTERN, text):
        raise ValueError(f"{text!r} is not a period; write {REQUEST_FORMS}")
    period = Period.parse(text)
    if period.end < period.start:
        raise ValueError(f"period {text!r} ends before it starts")
    return period


def calendar_name(period: Period) -> str | None:
    """'2023' for a calendar year, '2023-Q3' for a quarter, None for any other period."""
    year, first, last = period.start[:4], int(period.start[5:7]), int(period.end[5:7])
    if period.end[:4] != year:
        return None
    if (first, last) == (1, 12):
        return year
    if first % 3 == 1 and last == first + 2:
        return f"{year}-Q{(first + 2) // 3}"
    return None


def calendar_periods(window: Period | None) -> list[Period]:
    """Every quarter and calendar year lying wholly inside the window, in order."""
    if window is None:
        return []
    found = []
    for index in range(month_index(window.start), month_index(window.end) + 1):
        month = month_from_index(index)
        for length in (3, 12):
            if (index % 12) % length == 0 and index + length - 1 <= month_index(window.end):
                found.append(Period(month, month_from_index(index + length - 1)))
    return sorted(found)
