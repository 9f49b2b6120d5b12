"""Safe YAML reading: lines remembered for messages, and every way a file can be unreadable."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- nesting, keys, merge keys, numbers that are not finite -----------------------------

@pytest.mark.parametrize("deep", [
    "total: " + "[" * 5000 + "]" * 5000 + "\n",
    "total: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
    "".join(" " * i + f"a{i}:\n" for i in range(2000)) + " " * 2000 + "b: 1\n",
])
def test_nesting_thousands_of_levels_deep_is_one_line_not_a_recursion_error(
        data_copy, load_error, deep):
    (data_copy / "vocabulary.yml").write_text(deep)
    message = load_error(data_copy, SchemaError)
    assert message.startswith("data/vocabulary.yml:"), message
    assert f"nested more than {yamlio.MAX_DEPTH} levels deep" in message


def test_nesting_up_to_the_limit_is_read(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("[" * (yamlio.MAX_DEPTH - 1) + "1" + "]" * (yamlio.MAX_DEPTH - 1) + "\n")
    data, _ = load_yaml(path, "x.yml")
    for _ in range(yamlio.MAX_DEPTH - 1):
        data = data[0]
    assert data == 1


@pytest.mark.parametrize("key, kind", [("1", "a whole number"), ("2.5", "a number"),
                                       ("yes", "true or false"), ("~", "null")])
def test_a_key_that_is_not_text_says_to_quote_it(data_copy, edit_text, load_error, key, kind):
    line = edit_text(data_copy / "vocabulary.yml", '  about: "[0.9, 1.1]"\n',
                     f'  {key}: "[0.9, 1.1]"\n')
    message = load_error(data_copy, SchemaError)
    assert message == (f"data/vocabulary.yml:{line}: key {key} is read as {kind}, not text; "
                       f"put it in quotes ('{key}':)")


def test_a_reading_named_by_a_number_is_refused(data_copy, edit_text, load_error):
    line = edit_text(data_copy / "readings.yml", "  one-series:\n", "  1:\n")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"data/readings.yml:{line}: key 1 is read as a whole number"), message


@pytest.mark.parametrize("written, says", [
    ("!!binary aGVsbG8=: 1\n", "key aGVsbG8= is tagged !!binary, not text; delete the tag"),
    ("!!timestamp 2023-10-01: 1\n", "key 2023-10-01 is tagged !!timestamp, not text; delete the tag"),
    ("=: 1\n", "key = is read as YAML's value indicator, not text; put it in quotes ('=':)"),
])
def test_a_key_with_a_tag_says_so(tmp_path, written, says):
    path = tmp_path / "x.yml"
    path.write_text("a: 1\n" + written)
    with pytest.raises(SchemaError) as info:
        load_yaml(path, "x.yml")
    assert str(info.value) == f"x.yml:2: {says}"


def test_a_key_with_an_unsafe_tag_is_refused_as_a_tag(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("a: 1\n!!python/name:os.system b: 1\n")
    with pytest.raises(SchemaError) as info:
        load_yaml(path, "x.yml")
    assert str(info.value).startswith("x.yml:2: YAML tag not allowed in data files"), info.value


def test_a_quoted_number_is_a_text_key(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("'1': a\n\"yes\": b\n")
    assert load_yaml(path, "x.yml")[0] == {"1": "a", "yes": "b"}


@pytest.mark.parametrize("merge", ["    <<: {value: 5770}\n", "    <<: {note: merged}\n",
                                   "    <<: [{value: 1}]\n"])
def test_a_merge_key_is_refused(data_copy, seed_claims_file, edit_text, load_error, merge):
    line = edit_text(seed_claims_file, "    value: 577\n", "    value: 577\n" + merge)
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line + 1}: merge keys ('<<') are not allowed in data files; "
                       f"write the fields out")


def test_a_quoted_merge_key_is_plain_text(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("'<<': {a: 1}\n")
    assert load_yaml(path, "x.yml")[0] == {"<<": {"a": 1}}


@pytest.mark.parametrize("written", [".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1.0e+999"])
def test_a_number_that_is_not_finite_says_so(data_copy, seed_claims_file, edit_text, load_error,
                                             written):
    line = edit_text(seed_claims_file, "    value: 305\n", f"    value: {written}\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line}: field 'value': {written} is not a finite number; "
                       f"write the number itself")


def test_a_percentage_of_nan_says_so_not_invalid_literal(data_copy, seed_claims_file, edit_text,
                                                         load_error):
    line = edit_text(seed_claims_file, "    words: most\n", "    percent: .nan\n")
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:{line}: field 'percent': .nan is not a finite number; write the number itself"


def test_a_text_nan_is_text(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("a: '.nan'\nb: nan\nc: 1.5\n")
    assert load_yaml(path, "x.yml")[0] == {"a": ".nan", "b": "nan", "c": 1.5}


# --- characters: bidirectional overrides anywhere, control characters in values ----------

@pytest.mark.parametrize("char", sorted(yamlio.BIDI_OVERRIDES))
def test_a_bidi_override_in_a_note_names_its_line(data_copy, seed_claims_file, edit_text,
                                                  load_error, char):
    line = edit_text(seed_claims_file, "    note: Autumn", f"    note: {char}Autumn")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{CLAIMS}:{line}: character U+{ord(char):04X} ("), message
    assert "changes how the text around it is displayed" in message


def test_a_bidi_override_in_a_comment_is_refused_too(data_copy, seed_claims_file, edit_text,
                                                     load_error):
    line = edit_text(seed_claims_file, "# Claims read", "# \u202eClaims read")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{CLAIMS}:{line}: character U+202E (RIGHT-TO-LEFT OVERRIDE)")


@pytest.mark.parametrize("escape, shown", [("\\x1b", "U+001B (ESC)"), ("\\0", "U+0000 (NUL)"),
                                           ("\\e[31m", "U+001B (ESC)"), ("\\x9b", "U+009B (CSI)"),
                                           ("\\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)")])
def test_a_control_character_written_as_an_escape_is_refused(data_copy, seed_claims_file,
                                                             edit_text, load_error, escape, shown):
    line = edit_text(seed_claims_file, "    quote: October (218 cases)\n",
                     f'    quote: "October (218{escape} cases)"\n')
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{CLAIMS}:{line}: field 'quote': "), message
    assert f"character {shown} is not allowed" in message


def test_tabs_and_newlines_in_values_are_fine(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text('a: "one\\ttwo\\nthree\\r"\nb: |\n  line\n  line\n')
    assert load_yaml(path, "x.yml")[0] == {"a": "one\ttwo\nthree\r", "b": "line\nline\n"}


def test_a_folder_named_like_a_claims_file_is_one_line(data_copy, load_error):
    (data_copy / "claims" / "x.yml").mkdir()
    message = load_error(data_copy, SchemaError)
    assert message == "data/claims/x.yml: is a folder, not a file; move it out of data/claims/ or rename it"


_FORBIDDEN = st.sampled_from(yamlio.BIDI_OVERRIDES + yamlio.CONTROLS)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), _FORBIDDEN, st.text(max_size=40))
def test_any_text_with_a_bidi_override_or_a_control_character_is_found(before, char, after):
    text = before + char + after
    found = yamlio.forbidden_character(text)
    assert found is not None
    at, message = found
    assert text[at] in yamlio.BIDI_OVERRIDES + yamlio.CONTROLS and at <= len(before)
    assert f"U+{ord(text[at]):04X}" in message and "\n" not in message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters=yamlio.BIDI_OVERRIDES
                                      + yamlio.CONTROLS), max_size=80))
def test_any_text_without_them_passes(text):
    assert yamlio.forbidden_character(text) is None


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=
                                      yamlio.BIDI_OVERRIDES + yamlio.CONTROLS), max_size=10),
       _FORBIDDEN)
def test_any_yaml_value_with_one_is_refused_as_an_escape(tmp_path_factory, prefix, char):
    # Written as a double-quoted escape the YAML reader lets it through; the loader must not.
    path = tmp_path_factory.mktemp("yaml") / "x.yml"
    escaped = prefix.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    path.write_text(f'note: "{escaped}\\u{ord(char):04x}"\n', encoding="utf-8")
    with pytest.raises(SchemaError, match=f"x.yml:1: field 'note': .*U\\+{ord(char):04X}"):
        load_yaml(path, "x.yml")
