"""Every number in a source is used by a claim or set aside with a reason."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st

from helpers import paths
from helpers.data.coverage import numbers_in, uncovered_numbers
from helpers.data.dataset import load_dataset


def test_the_seed_is_fully_read():
    assert uncovered_numbers(load_dataset(paths.default_data_dir())) == []


def test_numbers_in_digits_and_words():
    found = [token for _, _, token in numbers_in("More than a thousand, 4,000 cases, 17.5 percent, "
                                                  "three months, someone")]
    assert found == ["thousand", "4,000", "17.5", "three"]


@given(st.integers(min_value=0, max_value=10**9))
def test_any_written_integer_is_one_number(n):
    text = f"there were {n:,} cases"
    assert [token for _, _, token in numbers_in(text)] == [f"{n:,}"]


def test_a_number_left_unread_is_reported_by_validate(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.default_data_dir(), data)
    claims = data / "claims" / "000_53cf863e7d9b0b6b.yml"
    text = claims.read_text()
    # Drop the not_used entry for the anecdote: its "One" becomes an unread number.
    claims.write_text(text.replace("  - quote: One of the deserters told The Moscow Times\n"
                                   "    reason: A single anecdote, not a count over a period.\n", ""))
    result = subprocess.run([sys.executable, "-m", "helpers", "validate", "--data", str(data)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert "data/sources/000_53cf863e7d9b0b6b.txt:9" in line and "'One'" in line
    assert "not_used" in line


@pytest.mark.parametrize("text, tokens", [
    ("a third more than in the summer", ["third"]),
    ("half of them sought help", ["half"]),
    ("twice as many as in June", ["twice"]),
    ("has nearly doubled since the summer", ["doubled"]),
    ("a quarter of all requests", ["quarter"]),
    ("appeals tripled, then halved", ["tripled", "halved"]),
    ("a tenfold rise, two fifths of it in October", ["tenfold", "two", "fifths"]),
    ("Half the cases; DOUBLED; Twice", ["Half", "DOUBLED", "Twice"]),
])
def test_fraction_and_multiplier_words_are_numbers(text, tokens):
    assert [token for _, _, token in numbers_in(text)] == tokens


@pytest.mark.parametrize("text", ["the headquarters", "quarterly reports", "a scaffold", "the second wound",
                                  "doublespeak", "behalf of the group"])
def test_words_that_merely_contain_a_fraction_are_not_numbers(text):
    assert numbers_in(text) == []


def test_a_multiplier_left_unread_is_reported(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.default_data_dir(), data)
    claims = data / "claims" / "000_53cf863e7d9b0b6b.yml"
    text = claims.read_text()
    # Shorten the quote of "nearly doubled" so that the word "doubled" stands in no quote.
    shortened = text.replace(
        "      The number of Russian military personnel seeking help to desert from their units has\n"
        "      nearly doubled since the summer\n",
        "      The number of Russian military personnel seeking help to desert from their units has\n")
    assert shortened != text
    claims.write_text(shortened)
    found = uncovered_numbers(load_dataset(data))
    assert [(u.line, u.number) for u in found] == [(1, "doubled")]
    assert "nearly doubled since the summer" in found[0].context
