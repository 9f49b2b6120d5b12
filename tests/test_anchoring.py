"""Quote anchoring (W3C TextQuoteSelector and TextPositionSelector, positions in code points)."""
from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers import paths
from helpers.data.anchoring import (CONTEXT_CHARS, AnchorAmbiguous, AnchorNotFound, anchor_quote,
                               normalize)
from helpers.data.dataset import load_dataset
from helpers.errors import QuoteError

CLAIMS = "data/claims/000_53cf863e7d9b0b6b.yml"


@pytest.fixture(scope="module")
def seed_text():
    return (paths.default_data_dir() / "sources" / "000_53cf863e7d9b0b6b.txt").read_text("utf-8")


def check(text, anchor):
    """What every anchor must satisfy, whatever the quote looked like."""
    assert text[anchor.start:anchor.end] == anchor.exact
    assert anchor.prefix == text[max(0, anchor.start - CONTEXT_CHARS):anchor.start]
    assert anchor.suffix == text[anchor.end:anchor.end + CONTEXT_CHARS]


# --- the seed article -------------------------------------------------------------------------

def test_a_verbatim_quote(seed_text):
    anchor = anchor_quote(seed_text, "October (218 cases)")
    check(seed_text, anchor)
    assert anchor.exact == "October (218 cases)"
    assert anchor.start == seed_text.index("October (218 cases)")
    assert len(anchor.prefix) == len(anchor.suffix) == CONTEXT_CHARS == 32
    assert anchor.prefix == "ertion attempts was recorded in "


def test_straight_quote_marks_match_typographic_ones(seed_text):
    anchor = anchor_quote(seed_text, 'citing data from "Idite Lesom" (Get to Forest)')
    check(seed_text, anchor)
    assert anchor.exact == "citing data from \u201cIdite Lesom\u201d (Get to Forest)"  # the original


def test_straight_apostrophe_matches_a_typographic_one(seed_text):
    anchor = anchor_quote(seed_text, "the organization's head Grigoriy Sverdlin")
    check(seed_text, anchor)
    assert anchor.exact == "the organization\u2019s head Grigoriy Sverdlin"


def test_typographic_quote_marks_match_straight_ones():
    text = 'He said "about 4,000" and left.'
    anchor = anchor_quote(text, "said \u201cabout 4,000\u201d and")
    check(text, anchor)
    assert anchor.exact == 'said "about 4,000" and'


def test_runs_of_white_space_and_newlines_in_the_quote_still_match(seed_text):
    anchor = anchor_quote(seed_text, "Get to Forest   has\n  received 577 appeals\tover")
    check(seed_text, anchor)
    assert anchor.exact == "Get to Forest has received 577 appeals over"


def test_a_quote_across_a_paragraph_break_keeps_the_break(seed_text):
    anchor = anchor_quote(seed_text, "Most of them sought help in the fall. The highest number")
    check(seed_text, anchor)
    assert anchor.exact == "Most of them sought help in the fall.\n\nThe highest number"


def test_white_space_around_the_quote_is_not_part_of_it(seed_text):
    anchor = anchor_quote(seed_text, "  June (54 cases)\n")
    assert anchor.exact == "June (54 cases)"
    check(seed_text, anchor)


def test_prefix_is_shorter_at_the_start_of_the_text(seed_text):
    anchor = anchor_quote(seed_text, "The number of Russian military personnel")
    assert anchor.start == 0 and anchor.prefix == ""
    check(seed_text, anchor)


def test_suffix_is_shorter_at_the_end_of_the_text():
    text = "Counts: 577 appeals."
    anchor = anchor_quote(text, "577 appeals.")
    assert anchor.suffix == "" and anchor.end == len(text)


def test_selectors_have_the_w3c_shape(seed_text):
    anchor = anchor_quote(seed_text, "June (54 cases)")
    assert anchor.text_quote_selector() == {"type": "TextQuoteSelector", "exact": "June (54 cases)",
                                            "prefix": anchor.prefix, "suffix": anchor.suffix}
    assert anchor.text_position_selector() == {"type": "TextPositionSelector",
                                               "start": anchor.start, "end": anchor.end}


# --- repeated phrases ---------------------------------------------------------------------------

def test_a_repeated_phrase_is_ambiguous_without_context(seed_text):
    assert len(re.findall("desertion attempts", seed_text)) == 2
    with pytest.raises(AnchorAmbiguous) as info:
        anchor_quote(seed_text, "desertion attempts")
    assert info.value.count == 2


def test_a_repeated_phrase_with_a_prefix(seed_text):
    anchor = anchor_quote(seed_text, "desertion attempts", prefix="The highest number of")
    assert anchor.start == seed_text.index("desertion attempts")
    check(seed_text, anchor)


def test_a_repeated_phrase_with_a_suffix(seed_text):
    anchor = anchor_quote(seed_text, "desertion attempts", suffix="in November")
    assert anchor.start == seed_text.rindex("desertion attempts")
    check(seed_text, anchor)


def test_prefix_and_suffix_are_folded_too(seed_text):
    anchor = anchor_quote(seed_text, "desertion attempts", prefix="There  were\n175",
                          suffix=" in   November,")
    assert anchor.start == seed_text.rindex("desertion attempts")


def test_a_prefix_that_matches_no_occurrence(seed_text):
    with pytest.raises(AnchorNotFound) as info:
        anchor_quote(seed_text, "desertion attempts", prefix="Nothing like this")
    assert info.value.occurrences == 2
    assert "desertion attempts" in info.value.closest


def test_a_selector_from_one_anchor_finds_the_same_place_again(seed_text):
    first = anchor_quote(seed_text, "desertion attempts", suffix="in November")
    again = anchor_quote(seed_text, first.exact, first.prefix, first.suffix)
    assert (again.start, again.end) == (first.start, first.end)


# --- positions are code points ------------------------------------------------------------------

def test_positions_count_code_points_not_utf16_units_or_bytes():
    before = "\U0001F600 \U0001F1FA\U0001F1E6 \U00010348 caf\u00e9 \u2014 "  # emoji, flag, Gothic
    text = before + "577 appeals over three months"
    anchor = anchor_quote(text, "577 appeals")
    assert anchor.start == len(before) == 14
    assert anchor.end == anchor.start + len("577 appeals")
    assert len(before.encode("utf-16-le")) // 2 != anchor.start   # not UTF-16 code units
    assert len(before.encode("utf-8")) != anchor.start            # not bytes
    check(text, anchor)


# --- not found ----------------------------------------------------------------------------------

def test_a_missing_quote_names_the_closest_passage(seed_text):
    with pytest.raises(AnchorNotFound) as info:
        anchor_quote(seed_text, "Get to Forest has received 578 appeals")
    assert info.value.closest == "Get to Forest has received 577 appeals"
    assert info.value.occurrences == 0


def test_an_empty_quote_is_not_found():
    with pytest.raises(AnchorNotFound):
        anchor_quote("some text", "   ")


def test_normalize_maps_every_folded_character_back():
    text = "a \u201cb\u201d\n\n  c\u2019d"
    folded, where = normalize(text)
    assert folded == 'a "b" c\'d'
    assert len(where) == len(folded)
    assert [text[i] for i in where] == ["a", " ", "\u201c", "b", "\u201d", "\n", "c", "\u2019", "d"]


# --- the errors, as a user meets them ----------------------------------------------------------

def test_quote_not_found_error_names_the_closest_passage(data_copy, seed_claims_file, edit_text,
                                                         load_error):
    line = edit_text(seed_claims_file, "    quote: compared to 305 in June through August\n",
                     "    quote: compared to 350 in June through August\n")
    message = load_error(data_copy, QuoteError)
    assert message == (f"{CLAIMS}:{line}: claim 'jun-aug-305': quote not found in source "
                       '000_53cf863e7d9b0b6b; closest passage: "compared to 305 in June through August"')


def test_quote_found_twice_asks_for_prefix_or_suffix(data_copy, seed_claims_file, edit_text,
                                                     load_error):
    line = edit_text(seed_claims_file, "    quote: the lowest in June\n",
                     "    quote: desertion attempts\n")
    message = load_error(data_copy, QuoteError)
    assert message == (f"{CLAIMS}:{line}: claim 'jun-lowest': quote occurs 2 times in source "
                       "000_53cf863e7d9b0b6b; add quote_prefix or quote_suffix to say which")


def test_quote_with_a_prefix_that_does_not_match(data_copy, seed_claims_file, edit_text,
                                                 load_error):
    line = edit_text(seed_claims_file, "    quote: the lowest in June\n",
                     "    quote: desertion attempts\n    quote_prefix: The lowest number of\n")
    message = load_error(data_copy, QuoteError)
    assert message.startswith(f"{CLAIMS}:{line}: claim 'jun-lowest': quote occurs 2 time(s) in "
                              "source 000_53cf863e7d9b0b6b, but never with this "
                              "quote_prefix/quote_suffix; the first stands in: \""), message
    assert "The highest number of desertion attempts" in message


def test_a_repeated_quote_with_a_prefix_loads(data_copy, seed_claims_file, edit_text):
    edit_text(seed_claims_file, "    quote: the lowest in June\n",
              "    quote: desertion attempts\n    quote_suffix: in November\n")
    dataset = load_dataset(data_copy)
    text = dataset.sources["000_53cf863e7d9b0b6b"].text
    assert dataset.anchors["jun-lowest"].start == text.rindex("desertion attempts")


# --- properties -----------------------------------------------------------------------------

# Texts built from pieces that make folding matter: runs of white space, quote marks of both
# kinds, characters outside the BMP, a combining accent, and any other character.
_PIECES = [" ", "  ", "\n", "\n\n", " \t\n ", "\u00a0", "\u2028", '"', "'", "\u201c", "\u201d",
           "\u2018", "\u2019", "\u00ab", "\u00bb", "a", "b", "ab", ".", "\U0001F600", "\u0301"]
_TEXTS = st.lists(st.one_of(st.sampled_from(_PIECES), st.characters()), min_size=1,
                  max_size=60).map("".join)


def _occurrences(haystack: str, needle: str) -> int:
    count, at = 0, haystack.find(needle)
    while at != -1:
        count, at = count + 1, haystack.find(needle, at + 1)
    return count


@st.composite
def _text_and_unique_substring(draw):
    text = draw(_TEXTS)
    i = draw(st.integers(0, len(text) - 1))
    j = draw(st.integers(i + 1, len(text)))
    quote = text[i:j]
    # A quote never starts or ends in white space (that is trimmed), and occurs once once folded.
    assume(quote.strip() == quote)
    assume(_occurrences(normalize(text)[0], normalize(quote)[0]) == 1)
    return text, quote, i


@settings(max_examples=300, deadline=None)
@given(_text_and_unique_substring())
def test_any_unique_substring_is_found_where_it_stands(case):
    text, quote, i = case
    anchor = anchor_quote(text, quote)
    assert (anchor.start, anchor.end) == (i, i + len(quote))
    assert text[anchor.start:anchor.end] == quote == anchor.exact
    check(text, anchor)
    # Re-anchoring with the TextQuoteSelector finds the same place.
    again = anchor_quote(text, anchor.exact, anchor.prefix, anchor.suffix)
    assert (again.start, again.end) == (anchor.start, anchor.end)


@settings(max_examples=200, deadline=None)
@given(_text_and_unique_substring(), st.sampled_from([" ", "\n", "  \n\t "]))
def test_a_quote_retyped_with_straight_marks_and_other_spacing_finds_the_original(case, space):
    text, quote, i = case
    retyped = re.sub(r"\s+", space, quote.translate(str.maketrans("\u201c\u201d\u2018\u2019",
                                                                  "\"\"''")))
    anchor = anchor_quote(text, retyped)
    assert anchor.exact == quote and anchor.start == i


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(blacklist_categories=["Zs", "Cc", "Zl", "Zp"]), min_size=1, max_size=30),
       st.text(max_size=40), st.text(max_size=40))
def test_a_phrase_written_twice_is_ambiguous_until_given_its_context(phrase, before, between):
    assume("#" not in phrase)
    text = before + "#1 " + phrase + " 1#" + between + "#2 " + phrase + " 2#"
    assume(_occurrences(normalize(text)[0], normalize(phrase)[0]) == 2)
    with pytest.raises(AnchorAmbiguous):
        anchor_quote(text, phrase)
    second = anchor_quote(text, phrase, prefix="#2")
    assert second.start == text.rindex("#2 " + phrase) + 3
    first = anchor_quote(text, phrase, suffix="1#")
    assert first.start == text.index("#1 " + phrase) + 3


# --- empty quotes and Unicode forms -------------------------------------------------------------

@pytest.mark.parametrize("blank", ['"   "', '"\\t"', "' '", '"\\u00a0\\n"'])
def test_a_quote_of_white_space_says_it_is_empty(data_copy, seed_claims_file, edit_text,
                                                 load_error, blank):
    line = edit_text(seed_claims_file, "    quote: compared to 305 in June through August\n",
                     f"    quote: {blank}\n")
    message = load_error(data_copy, QuoteError)
    assert message == (f"{CLAIMS}:{line}: claim 'jun-aug-305': quote is empty (only white space); "
                       f"copy the passage the claim rests on from source 000_53cf863e7d9b0b6b")


def test_an_empty_not_used_quote_says_so_too(data_copy, seed_claims_file, read_claims, write_claims,
                                             load_error):
    document = read_claims(data_copy)
    document["not_used"][0]["quote"] = "  "
    write_claims(data_copy, document)
    assert "not_used #1': quote is empty (only white space)" in load_error(data_copy, QuoteError)


def test_a_decomposed_quote_against_composed_text_names_the_forms():
    text = "Les d\u00e9serteurs sont 218."
    with pytest.raises(AnchorNotFound) as info:
        anchor_quote(text, unicodedata.normalize("NFD", "d\u00e9serteurs sont 218"))
    assert info.value.unicode_forms == ("decomposed (NFD)", "composed (NFC)")


def test_a_composed_quote_against_decomposed_text_names_the_forms():
    text = unicodedata.normalize("NFD", "Les d\u00e9serteurs sont 218.")
    with pytest.raises(AnchorNotFound) as info:
        anchor_quote(text, "d\u00e9serteurs")
    assert info.value.unicode_forms == ("composed (NFC)", "decomposed (NFD)")


def test_a_quote_that_differs_in_letters_names_no_forms():
    with pytest.raises(AnchorNotFound) as info:
        anchor_quote("Les d\u00e9serteurs", unicodedata.normalize("NFD", "d\u00e8serteurs"))
    assert info.value.unicode_forms is None


def test_the_unicode_form_message_as_a_user_meets_it(data_copy, seed_claims_file, edit_text,
                                                     load_error):
    text = data_copy / "sources" / "000_53cf863e7d9b0b6b.txt"
    composed = text.read_text("utf-8").replace("October (218 cases)", "Oct\u00f3ber (218 cases)")
    text.write_bytes(composed.encode())
    record = data_copy / "sources" / "000_53cf863e7d9b0b6b.yml"
    record.write_text(re.sub(r"sha256: \w+", "sha256: " + hashlib.sha256(composed.encode()).hexdigest(),
                             record.read_text()))
    line = edit_text(seed_claims_file, "    quote: October (218 cases)\n",
                     "    quote: Octo\u0301ber (218 cases)\n")
    message = load_error(data_copy, QuoteError)
    assert message == (f"{CLAIMS}:{line}: claim 'oct-218': quote not found in source "
                       "000_53cf863e7d9b0b6b, though it is there in another Unicode form: the quote "
                       "is written decomposed (NFD), the source composed (NFC), so they look alike "
                       "but differ; copy the quote from 000_53cf863e7d9b0b6b.txt, or convert the "
                       "claims file to NFC (composed) form")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ae\u00e9\u00e8\u00fc\u00f1\u00e7 ", min_size=3, max_size=30))
def test_any_quote_that_differs_only_in_its_unicode_form_is_named_so(words):
    assume(words.strip() and unicodedata.normalize("NFD", words) != words)
    text = f"<< {words} >>"
    with pytest.raises(AnchorNotFound) as info:
        anchor_quote(text, unicodedata.normalize("NFD", words))
    assert info.value.unicode_forms == ("decomposed (NFD)", "composed (NFC)")
