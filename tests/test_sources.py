"""Source documents: verbatim text, a provenance record beside it, and a hash that catches edits."""
from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest

from helpers.errors import ChecksumError, DataError, SchemaError
from helpers.data.sources import load_source, sha256_of

SEED = "000_53cf863e7d9b0b6b"
RECORD = f"data/sources/{SEED}.yml"
SEED_ARTICLE_SHA256 = "6cdbc3215aa6c10c596dd6c118c4fd02f5e5184a7c1c6599eed190fe04906c6d"


@pytest.fixture
def seed_source(seed_data_dir):
    return load_source(seed_data_dir / "sources" / f"{SEED}.yml", RECORD)


def test_the_seed_source_loads_verbatim(seed_source, seed_data_dir):
    assert seed_source.id == SEED
    assert seed_source.file == RECORD
    assert seed_source.text == (seed_data_dir / "sources" / f"{SEED}.txt").read_text("utf-8")
    assert seed_source.text.startswith("The number of Russian military personnel seeking help")
    assert seed_source.title == seed_source.provenance["title"]


def test_the_seed_hash_is_the_hash_of_the_text_file(seed_source, seed_data_dir):
    data = (seed_data_dir / "sources" / f"{SEED}.txt").read_bytes()
    assert seed_source.provenance["sha256"] == hashlib.sha256(data).hexdigest() == sha256_of(data)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum on this machine")
def test_the_hash_is_what_sha256sum_prints(seed_source, seed_data_dir):
    # data/README.md tells researchers to compute the hash this way.
    out = subprocess.run(["sha256sum", f"{SEED}.txt"], cwd=seed_data_dir / "sources",
                         capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == seed_source.provenance["sha256"]


def test_the_seed_text_is_the_seed_article_verbatim(seed_source):
    # sha256 of shared/seed/000_53cf863e7d9b0b6b.txt, the article the project starts from.
    assert sha256_of(seed_source.text.encode("utf-8")) == SEED_ARTICLE_SHA256


def test_the_year_is_marked_as_inferred(seed_source):
    provenance = seed_source.provenance
    assert provenance["date_published"] == "2023-12"
    inferred = seed_source.inferred()
    assert "date_published" in inferred
    assert "Dec. 4" in inferred["date_published"] and "2023-12-04" in inferred["date_published"]
    cited = {c["name"]: c for c in provenance["cites"]}
    assert cited["The Moscow Times"]["date"] == "2023-12-04"
    assert provenance["language"] == "en"


def test_source_text_edited_is_a_checksum_mismatch(data_copy, edit_text, line_of_text, load_error):
    edit_text(data_copy / "sources" / f"{SEED}.txt", "577 appeals", "578 appeals")
    line = line_of_text(data_copy / "sources" / f"{SEED}.yml", "sha256:")
    message = load_error(data_copy, ChecksumError)
    assert message.startswith(f"{RECORD}:{line}: checksum mismatch: the text's sha256 is "), message
    assert "the record says 6cdbc3215aa6..." in message
    assert "update sha256 in the record" in message


def test_a_changed_line_ending_is_a_checksum_mismatch_too(data_copy, load_error):
    text = data_copy / "sources" / f"{SEED}.txt"
    text.write_bytes(text.read_bytes().replace(b"\n", b"\r\n"))
    assert "checksum mismatch" in load_error(data_copy, ChecksumError)


def test_sidecar_id_differs_from_its_file_name(data_copy, edit_text, load_error):
    line = edit_text(data_copy / "sources" / f"{SEED}.yml", f"id: {SEED}\n", "id: seed-article\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{RECORD}:{line}: id 'seed-article' differs from the file name '{SEED}'; "
                       f"rename the file or fix 'id'")


def test_the_text_file_named_by_the_record_is_missing(data_copy, line_of_text, load_error):
    (data_copy / "sources" / f"{SEED}.txt").unlink()
    line = line_of_text(data_copy / "sources" / f"{SEED}.yml", f"text: {SEED}.txt")
    assert load_error(data_copy, SchemaError) == (
        f"{RECORD}:{line}: the text file {SEED}.txt is not in data/sources/; restore it there or "
        f"fix 'text'")


def test_the_text_file_is_not_utf8(data_copy, load_error):
    text = data_copy / "sources" / f"{SEED}.txt"
    text.write_bytes(text.read_bytes().replace("\u2019".encode(), b"\x92"))  # cp1252 apostrophe
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"data/sources/{SEED}.txt:7: not UTF-8 text"), message


@pytest.mark.parametrize("old, new, wanted", [
    (f"text: {SEED}.txt\n", "text: ../../etc/passwd.txt\n",
     "field 'text': '../../etc/passwd.txt' is not the name of a .txt file beside the record"),
    ("sha256: 6cdbc3215aa6", "sha256: 6CDBC3215AA6",
     "field 'sha256': '6CDBC3215AA6"),
    ("language: en\n", "language: English\n",
     "field 'language': 'English' is not a lowercase ISO 639 language code such as 'en'"),
    ("date_published: 2023-12\n", "date_published: December 2023\n",
     "field 'date_published': 'December 2023' is not a date written YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_record_fields_say_what_they_should_be(data_copy, edit_text, load_error, old, new, wanted):
    line = edit_text(data_copy / "sources" / f"{SEED}.yml", old, new)
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{RECORD}:{line}: {wanted}"), message
    assert "^" not in message  # no regular expression shown to the reader


def test_a_source_without_its_record_is_not_a_source(data_copy, load_error):
    (data_copy / "sources" / f"{SEED}.yml").unlink()
    message = load_error(data_copy, DataError)
    assert message == "no sources: add <id>.txt and its record <id>.yml to data/sources/"


# --- dates of the calendar ------------------------------------------------------------------

@pytest.mark.parametrize("written, why", [
    ("2023-13-45", "month must be in 1..12"), ("2023-13", "month must be in 1..12"),
    ("2023-00", "month must be in 1..12"), ("2023-02-29", "day is out of range for month"),
    ("2023-04-31", "day is out of range for month"), ('"0000"', "year 0 is out of range"),
])
def test_a_date_published_that_is_not_on_the_calendar(data_copy, edit_text, load_error, written,
                                                      why):
    line = edit_text(data_copy / "sources" / f"{SEED}.yml", "date_published: 2023-12\n",
                     f"date_published: {written}\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{RECORD}:{line}: field 'date_published': {written.strip(chr(34))} is not "
                       f"a calendar date ({why}); write YYYY, YYYY-MM or YYYY-MM-DD")


@pytest.mark.parametrize("written", ["2024-02-29", "'2023'", "2023-01", "2023-12-31"])
def test_dates_of_the_calendar_load(data_copy, edit_text, written):
    from helpers.data.dataset import load_dataset
    edit_text(data_copy / "sources" / f"{SEED}.yml", "date_published: 2023-12\n",
              f"date_published: {written}\n")
    assert load_dataset(data_copy).sources[SEED].provenance["date_published"] == written.strip("'")


# --- characters a source text may not hold ----------------------------------------------------

def _put_in_text(data_copy, old: str, new: str) -> int:
    """Edit the seed text and its record's sha256 (so only the characters are wrong)."""
    text = data_copy / "sources" / f"{SEED}.txt"
    before = text.read_text("utf-8")
    assert before.count(old) == 1
    after = before.replace(old, new)
    text.write_bytes(after.encode("utf-8"))
    record = data_copy / "sources" / f"{SEED}.yml"
    record.write_text(record.read_text().replace(SEED_ARTICLE_SHA256, sha256_of(after.encode())))
    return before[:before.index(old)].count("\n") + 1


@pytest.mark.parametrize("char, shown", [("\x00", "U+0000 (NUL)"), ("\x1b", "U+001B (ESC)"),
                                         ("\x07", "U+0007 (BEL)"), ("\x0c", "U+000C (FORM FEED)"),
                                         ("\x7f", "U+007F (DEL)"), ("\x9b", "U+009B (CSI)"),
                                         ("\x01", "U+0001")])
def test_a_control_character_in_a_source_text_names_the_text_and_line(data_copy, load_error, char,
                                                                      shown):
    line = _put_in_text(data_copy, "October (218 cases)", f"October{char}[31m (218 cases)")
    message = load_error(data_copy, SchemaError)
    assert message == (f"data/sources/{SEED}.txt:{line}: control character {shown} is not "
                       f"allowed; delete it (then update sha256 in the source's record)")


def test_a_control_character_is_refused_before_the_checksum(data_copy, load_error):
    text = data_copy / "sources" / f"{SEED}.txt"
    text.write_bytes(b"\x00" + text.read_bytes())
    assert load_error(data_copy, SchemaError).startswith(f"data/sources/{SEED}.txt:1: control ")


@pytest.mark.parametrize("char", ["\u202a", "\u202e", "\u2066", "\u2069"])
def test_a_bidi_override_in_a_source_text_names_the_text_and_line(data_copy, load_error, char):
    line = _put_in_text(data_copy, "October (218 cases)", f"October ({char}218 cases)")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"data/sources/{SEED}.txt:{line}: character U+{ord(char):04X} ("), message


def test_tabs_and_carriage_returns_in_a_source_text_are_fine(data_copy):
    from helpers.data.dataset import load_dataset
    _put_in_text(data_copy, "October (218 cases)", "October\t(218 cases)\r")
    assert "\t" in load_dataset(data_copy).sources[SEED].text


def test_a_text_file_that_is_a_folder_says_so(data_copy, load_error):
    (data_copy / "sources" / f"{SEED}.txt").unlink()
    (data_copy / "sources" / f"{SEED}.txt").mkdir()
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"data/sources/{SEED}.txt: is a folder, not a file"), message
