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
