"""The default meaning of vague words ("nearly doubled", "most", "about"), kept in one place.

The data set's vocabulary.yml maps each word, in one table per claim kind that states vague
words (each kind names its table: helpers.kinds), to an exact interval; a claim may state its
own ``interval`` instead. Reports print the table so a reader sees the choice.
"""
from __future__ import annotations

from dataclasses import dataclass

from helpers.errors import SchemaError
from helpers.core.intervals import Interval


@dataclass(frozen=True)
class Vocabulary:
    words: dict[str, dict[str, Interval]]

    def lookup(self, table: str, word: str, kind: str | None = None) -> Interval:
        """The interval of ``word`` in ``table``; ``kind`` is the claim kind asking, when it
        borrows another kind's table (a rate's words scale its value like a total's)."""
        entries = self.words.get(table, {})
        key = " ".join(word.lower().split())
        if key not in entries:
            known = ", ".join(repr(w) for w in sorted(entries)) or "none"
            kind = kind or table
            where = "" if kind == table else f" in the {table!r} table"
            raise LookupError(f"vague words {word!r} have no interval for a {kind} claim "
                              f"(known{where}: {known}); add them to vocabulary.yml or give "
                              "'interval'")
        return entries[key]

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
