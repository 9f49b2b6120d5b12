"""The default meaning of vague words ("nearly doubled", "most", "about"), kept in one place.

The data set's vocabulary.yml maps each word, per claim kind, to an exact interval; a claim
may state its own ``interval`` instead. Reports print the table so a reader sees the choice.
"""
from __future__ import annotations

from dataclasses import dataclass

from helpers.errors import SchemaError
from helpers.core.intervals import Interval

# What the number of each kind of vague word multiplies or stands for.
MEANING = {
    "total": "multiplier of the stated value (about 4,000 = 4,000 x interval)",
    "share": "fraction of the whole period's total",
    "ratio": "numerator period's total divided by the denominator period's total",
}


@dataclass(frozen=True)
class Vocabulary:
    words: dict[str, dict[str, Interval]]

    def lookup(self, kind: str, word: str) -> Interval:
        table = self.words.get(kind, {})
        key = " ".join(word.lower().split())
        if key not in table:
            known = ", ".join(repr(w) for w in sorted(table)) or "none"
            raise LookupError(f"vague words {word!r} have no interval for a {kind} claim "
                              f"(known: {known}); add them to vocabulary.yml or give 'interval'")
        return table[key]

    def rows(self) -> list[tuple[str, str, str]]:
        """(kind, words, interval) for a report's table."""
        return [(kind, word, str(interval)) for kind, table in self.words.items()
                for word, interval in table.items()]


def build_vocabulary(raw: dict, file: str | None = None, lines: dict | None = None) -> Vocabulary:
    """The schema-valid vocabulary.yml as exact intervals; an empty interval names its line."""
    words: dict[str, dict[str, Interval]] = {}
    for kind, table in raw.items():
        words[kind] = {}
        for word, text in table.items():
            try:
                words[kind][" ".join(word.lower().split())] = Interval.parse(text)
            except ValueError as exc:
                raise SchemaError(f"{kind} {word!r}: {exc}", file=file,
                                  line=(lines or {}).get((kind, word))) from None
    return Vocabulary(words)
