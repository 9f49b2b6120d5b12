"""Safe YAML reading: lines remembered for messages, and every way a file can be unreadable."""
from __future__ import annotations

import time

import pytest

from helpers.data import yamlio
from helpers.errors import SchemaError
from helpers.data.yamlio import line_of, load_yaml

CLAIMS = "data/claims/000_53cf863e7d9b0b6b.yml"
SEED_SOURCE = "source: 000_53cf863e7d9b0b6b\n"


# --- what a good file gives -------------------------------------------------------------

def test_every_value_has_its_line(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("# a comment\nsource: s\nclaims:\n  - id: a\n    value: 3\n  - id: b\n")
    data, lines = load_yaml(path, "x.yml")
    assert data == {"source": "s", "claims": [{"id": "a", "value": 3}, {"id": "b"}]}
    assert lines[("source",)] == 2
    assert lines[("claims", 0)] == 4
    assert lines[("claims", 0, "value")] == 5
    assert lines[("claims", 1, "id")] == 6


def test_line_of_falls_back_to_the_deepest_known_prefix(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("claims:\n  - id: a\n    value: 3\n")
    _, lines = load_yaml(path, "x.yml")
    assert line_of(lines, ("claims", 0, "no_such_field")) == 2
    assert line_of(lines, ["claims", 0, "value"]) == 3
    assert line_of(lines, ("nothing",)) == 1  # the document itself starts on line 1


def test_dates_stay_the_text_the_researcher_wrote(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("date: 2023-12-04\nmonth: 2023-12\n")
    data, _ = load_yaml(path, "x.yml")
    assert data == {"date": "2023-12-04", "month": "2023-12"}


# --- one test per way a file is unreadable, through the loader as a user meets it -------

def test_yaml_syntax_error_names_line_and_column(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    value: 577\n", "    value: [577\n")
    message = load_error(data_copy, SchemaError)
    # The parser notices the unclosed list on the next line, where the next key begins.
    assert message.startswith(f"{CLAIMS}:{line + 1}: YAML syntax error (column 10): "), message
    assert "expected ',' or ']'" in message


def test_bad_indentation_is_a_syntax_error_on_its_line(data_copy, seed_claims_file, edit_text,
                                                       load_error):
    line = edit_text(seed_claims_file, "    series: appeals\n    period: 2023-09..",
                     "   series: appeals\n    period: 2023-09..")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{CLAIMS}:{line}: YAML syntax error (column "), message


def test_two_documents_in_one_file_say_so(data_copy, seed_claims_file, load_error):
    seed_claims_file.write_text(SEED_SOURCE + "claims: []\n---\nmore: 1\n")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{CLAIMS}:3: YAML syntax error"), message
    assert "expected a single document in the stream, but found another document" in message


def test_a_control_character_names_its_line(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    value: 305\n", "    value: 305\x07\n")
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:{line}: character #x0007 is not allowed in YAML; delete it"


def test_empty_file(data_copy, seed_claims_file, load_error):
    seed_claims_file.write_text("")
    assert load_error(data_copy, SchemaError) == f"{CLAIMS}: file is empty; restore its content"


def test_file_of_white_space_is_empty(data_copy, seed_claims_file, load_error):
    seed_claims_file.write_text("  \n\n\t\n")
    assert load_error(data_copy, SchemaError) == f"{CLAIMS}: file is empty; restore its content"


def test_file_of_comments_only(data_copy, seed_claims_file, load_error):
    seed_claims_file.write_text("# claims to come\n# one day\n")
    assert load_error(data_copy, SchemaError) == f"{CLAIMS}: file holds only comments, no data"


def test_not_utf8_names_the_line_of_the_bad_byte(data_copy, seed_claims_file, load_error):
    good = SEED_SOURCE.encode() + b"claims: []\n# caf"
    seed_claims_file.write_bytes(good + b"\xe9 (Latin-1)\n")
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:3: not UTF-8 text (byte {len(good)}); save the file as UTF-8"


def test_byte_order_mark_is_refused(data_copy, seed_claims_file, load_error):
    seed_claims_file.write_bytes(b"\xef\xbb\xbf" + seed_claims_file.read_bytes())
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:1: starts with a byte-order mark; "
                       "save the file as UTF-8 without BOM")


def test_yaml_bomb_is_refused_at_once(data_copy, seed_claims_file, load_error):
    # Nine levels of nine aliases: a billion strings if expanded.
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    seed_claims_file.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    message = load_error(data_copy, SchemaError)
    assert time.perf_counter() - started < 2
    assert message == (f"{CLAIMS}:2: YAML anchors and aliases are not allowed in data files; "
                       "write the values out")


def test_a_single_alias_is_refused_too(data_copy, seed_claims_file, load_error):
    seed_claims_file.write_text(SEED_SOURCE + "claims: []\nnot_used: &n []\nextra: *n\n")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{CLAIMS}:4: YAML anchors and aliases are not allowed"), message


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system"])
def test_unsafe_tag_is_refused_without_running_it(data_copy, seed_claims_file, load_error,
                                                  tmp_path, tag):
    marker = tmp_path / "pwned"
    seed_claims_file.write_text(f'{SEED_SOURCE}claims: []\nnote: {tag} ["touch {marker}"]\n')
    message = load_error(data_copy, SchemaError)
    assert not marker.exists()
    assert message.startswith(f"{CLAIMS}:3: YAML tag not allowed in data files"), message
    assert tag.removeprefix("!!") in message


def test_duplicate_key_is_refused_not_silently_overwritten(data_copy, seed_claims_file, edit_text,
                                                           load_error):
    line = edit_text(seed_claims_file, "    value: 577\n", "    value: 577\n    value: 578\n")
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:{line + 1}: duplicate key 'value' (first at line {line}); keep one"


def test_a_list_as_key_is_an_error_not_a_crash(data_copy, seed_claims_file, load_error):
    seed_claims_file.write_text(SEED_SOURCE + "? [a, b]\n: 1\nclaims: []\n")
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:2: a key must be plain text, not a list or mapping"


def test_a_file_far_too_large_is_refused_before_parsing(data_copy, seed_claims_file, load_error,
                                                        monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 100)
    message = load_error(data_copy, SchemaError)
    # The first file read is vocabulary.yml; it is larger than 100 bytes.
    assert message.startswith("data/vocabulary.yml: file is "), message
    assert "more than the 100 a data file may have" in message
