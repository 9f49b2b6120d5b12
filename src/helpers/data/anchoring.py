"""Quote anchoring in the shape of the W3C Web Annotation model.

A claim's quote is found in its source text and described twice, as a TextQuoteSelector
(exact, prefix, suffix) and a TextPositionSelector (start, end in code points, which is what
Python string indexes count). Typographic versus straight quote marks and runs of white space
do not make a correct quote fail, but the stored anchor points into the original text.
"""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from helpers.errors import AnchorAmbiguous, AnchorNotFound

CONTEXT_CHARS = 32  # prefix and suffix length, enough to tell repeated phrases apart

_FOLD = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                       "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'"})


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    def text_quote_selector(self) -> dict[str, str]:
        return {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix,
                "suffix": self.suffix}

    def text_position_selector(self) -> dict[str, object]:
        return {"type": "TextPositionSelector", "start": self.start, "end": self.end}


def normalize(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each of its characters, the index of the original character."""
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if not in_space:
                out.append(" ")
                where.append(index)
            in_space = True
            continue
        in_space = False
        out.append(char.translate(_FOLD))
        where.append(index)
    return "".join(out), where


def _fold(text: str) -> str:
    return normalize(text)[0].strip()


def anchor_quote(text: str, quote: str, prefix: str | None = None,
                 suffix: str | None = None) -> Anchor:
    """Where ``quote`` stands in ``text``; raises AnchorNotFound or AnchorAmbiguous."""
    folded, where = normalize(text)
    needle = _fold(quote)
    starts = []
    at = folded.find(needle)
    while at != -1 and needle:
        starts.append(at)
        at = folded.find(needle, at + 1)
    occurrences = list(starts)
    if prefix:
        starts = [s for s in starts if folded[:s].rstrip().endswith(_fold(prefix))]
    if suffix:
        starts = [s for s in starts if folded[s + len(needle):].lstrip().startswith(_fold(suffix))]
    if not starts and occurrences:
        first = occurrences[0]
        around = folded[max(0, first - CONTEXT_CHARS):first + len(needle) + CONTEXT_CHARS].strip()
        raise AnchorNotFound(around, occurrences=len(occurrences))
    if not starts:
        raise AnchorNotFound(closest_passage(folded, needle),
                             unicode_forms=_forms_if_only_they_differ(folded, needle))
    if len(starts) > 1:
        raise AnchorAmbiguous(len(starts))
    start = where[starts[0]]
    end = where[starts[0] + len(needle) - 1] + 1
    return Anchor(exact=text[start:end], prefix=text[max(0, start - CONTEXT_CHARS):start],
                  suffix=text[end:end + CONTEXT_CHARS], start=start, end=end)


def unicode_form(text: str) -> str:
    """How ``text`` encodes accented letters: 'composed (NFC)', 'decomposed (NFD)' or mixed."""
    if unicodedata.is_normalized("NFC", text):
        return "composed (NFC)"
    if unicodedata.is_normalized("NFD", text):
        return "decomposed (NFD)"
    return "in mixed forms (neither NFC nor NFD)"


def _forms_if_only_they_differ(folded_text: str, folded_quote: str) -> tuple[str, str] | None:
    """(the quote's form, the text's form) when the quote is in the text once both are NFC."""
    if not folded_quote or unicodedata.normalize("NFC", folded_quote) not in unicodedata.normalize(
            "NFC", folded_text):
        return None
    return unicode_form(folded_quote), unicode_form(folded_text)


def closest_passage(folded_text: str, folded_quote: str) -> str:
    """The passage of the text most like the quote, for an error message."""
    matcher = difflib.SequenceMatcher(None, folded_text, folded_quote, autojunk=False)
    block = matcher.find_longest_match(0, len(folded_text), 0, len(folded_quote))
    begin = max(0, block.a - block.b)
    passage = folded_text[begin:begin + len(folded_quote)].strip()
    return passage if len(passage) <= 120 else passage[:117] + "..."
