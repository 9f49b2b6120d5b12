"""Coverage: every number written in a source is used by a claim or set aside with a reason.

So a new source cannot be half-read by accident: `python -m helpers validate` lists each
number that stands in no claim's quote and in no ``not_used`` passage of the claims file. A number
is written in digits ("577", "4,000", "17.5"), in words ("three", "a thousand"), or as a fraction or
a multiplier ("a third", "half", "a quarter", "twice", "doubled", "halved").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from helpers.data.dataset import Dataset

_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
          "eighty ninety hundred thousand million billion dozen dozens hundreds thousands")
# Fractions and multipliers say how much as surely as a number does: "a third", "half",
# "a quarter", "twice", "doubled", "tripled", "halved", "tenfold".
_FRACTIONS = ("half halves third thirds quarter quarters fourths fifth fifths sixth sixths "
              "seventh sevenths eighth eighths ninth ninths tenth tenths")
_MULTIPLIERS = ("twice thrice halve halved halves halving double doubled doubles doubling "
                "triple tripled triples tripling quadruple quadrupled quadruples quadrupling "
                "twofold threefold fourfold fivefold tenfold hundredfold")
_ALL_WORDS = dict.fromkeys(f"{_WORDS} {_FRACTIONS} {_MULTIPLIERS}".split())  # once each, in order
NUMBER = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(_ALL_WORDS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Uncovered:
    source: str
    line: int     # line of the source text
    number: str
    context: str  # the words around it

    def message(self, data_name: str) -> str:
        claims_file = f"{data_name}/claims/{self.source}.yml"
        return (f"{data_name}/sources/{self.source}.txt:{self.line}: number {self.number!r} "
                f"(\"...{self.context}...\") is in no claim's quote; add a claim for it, or a "
                f"not_used entry with a reason to {claims_file}")


def numbers_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of every number written in digits, in words, or as a fraction or a
    multiplier word."""
    return [(m.start(), m.end(), m.group()) for m in NUMBER.finditer(text)]


def uncovered_numbers(dataset: Dataset) -> list[Uncovered]:
    spans: dict[str, list[tuple[int, int]]] = {sid: [] for sid in dataset.sources}
    for claim in dataset.claims:
        anchor = dataset.anchors[claim.id]
        spans[claim.source].append((anchor.start, anchor.end))
    for entry in dataset.not_used:
        spans[entry.source].append((entry.anchor.start, entry.anchor.end))
    found = []
    for source_id, source in dataset.sources.items():
        text = source.text
        for start, end, token in numbers_in(text):
            if any(s <= start and end <= e for s, e in spans[source_id]):
                continue
            context = " ".join(text[max(0, start - 25):end + 25].split())
            found.append(Uncovered(source_id, text.count("\n", 0, start) + 1, token, context))
    return found
