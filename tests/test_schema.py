"""The data files' JSON Schemas: one test per kind of schema violation, as a user meets it.

Each error is one line: ``data/<file>:<line>: claim '<id>': <what is wrong>``.
"""
from __future__ import annotations

import re

import pytest
import yaml

from helpers import kinds, paths
from helpers.data import schema
from helpers.data.anchoring import anchor_quote
from helpers.data.claims import build_claim
from helpers.data.dataset import load_dataset
from helpers.errors import SchemaError
from helpers.data.schema import CLAIMS_FILE_SCHEMA, SOURCE_SCHEMA, VOCABULARY_SCHEMA, validate

CLAIMS = "data/claims/000_53cf863e7d9b0b6b.yml"
SOURCE = "data/sources/000_53cf863e7d9b0b6b.yml"


def test_the_seed_files_follow_their_schemas(seed_data_dir, read_claims):
    validate(read_claims(seed_data_dir), CLAIMS_FILE_SCHEMA, file="x", lines={})


def test_unknown_field_names_the_field_its_line_and_the_known_ones(data_copy, seed_claims_file,
                                                                   edit_text, load_error):
    line = edit_text(seed_claims_file, "    value: 577\n", "    value: 577\n    colour: red\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line + 1}: claim 'sep-nov-577': unknown field 'colour' (known: "
                       "id, kind, series, quote, quote_prefix, quote_suffix, note, period, value, "
                       "relation, words, interval, same_as, ambiguity, alternatives)")


def test_a_field_of_another_kind_is_unknown(data_copy, seed_claims_file, edit_text, load_error):
    # 'percent' belongs to share claims, not to totals.
    line = edit_text(seed_claims_file, "    value: 305\n", "    value: 305\n    percent: 18\n")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{CLAIMS}:{line + 1}: claim 'jun-aug-305': unknown field 'percent'")


def test_unknown_field_at_the_top_of_a_claims_file(data_copy, seed_claims_file, edit_text,
                                                   load_error):
    line = edit_text(seed_claims_file, "claims:\n", "sources: []\nclaims:\n")
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:{line}: unknown field 'sources' (known: source, not_used, claims)"


def test_a_misspelt_required_field_is_missing_and_unknown(data_copy, seed_claims_file, edit_text,
                                                          line_of_text, load_error):
    edit_text(seed_claims_file, "claims:\n", "claim:\n")
    line = line_of_text(seed_claims_file, "source: 000_53cf863e7d9b0b6b")  # the document's start
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:{line}: 'claims' is missing (and 'claim' is an unknown field)"


def test_unknown_field_in_a_source_record(data_copy, edit_text, load_error):
    line = edit_text(data_copy / "sources" / "000_53cf863e7d9b0b6b.yml", "url: null\n",
                     "url: null\nlicense: CC-BY\n")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{SOURCE}:{line + 1}: unknown field 'license' (known: id, text, ")


def test_missing_field_names_the_claim(data_copy, seed_claims_file, edit_text, line_of_text,
                                       load_error):
    edit_text(seed_claims_file, "    period: 2023-09..2023-11\n", "")
    line = line_of_text(seed_claims_file, "- id: sep-nov-577")
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:{line}: claim 'sep-nov-577': 'period' is missing"


def test_missing_quote(data_copy, seed_claims_file, edit_text, line_of_text, load_error):
    edit_text(seed_claims_file, "    quote: June (54 cases)\n", "")
    line = line_of_text(seed_claims_file, "- id: jun-54")
    assert load_error(data_copy, SchemaError) == f"{CLAIMS}:{line}: claim 'jun-54': 'quote' is missing"


def test_missing_field_of_a_source_record(data_copy, edit_text, load_error):
    edit_text(data_copy / "sources" / "000_53cf863e7d9b0b6b.yml",
              "licence: unknown (news text quoted for research; not redistributable beyond fair use)\n",
              "")
    assert load_error(data_copy, SchemaError) == f"{SOURCE}:3: 'licence' is missing"


def test_wrong_type_says_what_was_expected(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    value: 577\n", "    value: five hundred\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line}: claim 'sep-nov-577': "
                       "field 'value': 'five hundred' is not a whole number")


def test_wrong_type_of_the_claims_list(data_copy, seed_claims_file, load_error):
    seed_claims_file.write_text("source: 000_53cf863e7d9b0b6b\nclaims: {}\n")
    assert load_error(data_copy, SchemaError) == f"{CLAIMS}:2: field 'claims': {{}} is not a list"


def test_a_non_text_id_is_counted_in_the_message(data_copy, seed_claims_file, edit_text,
                                                 load_error):
    line = edit_text(seed_claims_file, "  - id: jun-54\n", "  - id: 54\n")
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:{line}: claim '#8': field 'id': 54 is not text"


@pytest.mark.parametrize("old, new, field, hint", [
    ("    period: 2023-10\n", "    period: 2023-13\n", "period",
     "a month YYYY-MM or a period YYYY-MM..YYYY-MM"),
    ("    month: 2023-10\n", "    month: 2023-13\n", "month", "a month written YYYY-MM (e.g. 2023-09)"),
    ("    period: 2023-06\n", "    period: 2023-6\n", "period",
     "a month YYYY-MM or a period YYYY-MM..YYYY-MM"),
])
def test_bad_month_string(data_copy, seed_claims_file, edit_text, load_error, old, new, field, hint):
    line = edit_text(seed_claims_file, old, new)
    message = load_error(data_copy, SchemaError)
    bad = new.split(": ")[1].strip()
    assert re.fullmatch(rf"{re.escape(CLAIMS)}:{line}: claim '[a-z0-9-]+': field '{field}': "
                        rf"'{re.escape(bad)}' is not {re.escape(hint)}", message), message


def test_bad_month_inside_a_list(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    below: [2023-09, 2023-10]\n", "    below: [2023-09, 2023-00]\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line}: claim 'nov-order': field 'below': '2023-00' is not "
                       "a month written YYYY-MM (e.g. 2023-09)")


def test_neither_others_nor_a_list(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    below: [2023-09, 2023-10]\n", "    below: 2023-09\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line}: claim 'nov-order': field 'below': '2023-09' is not "
                       "'others' or a list of months such as [2023-09, 2023-10]")


def test_negative_count(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    value: 577\n", "    value: -577\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line}: claim 'sep-nov-577': "
                       "field 'value': -577 is less than the minimum of 0")


def test_fractional_count(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    value: 577\n", "    value: 577.5\n")
    message = load_error(data_copy, SchemaError)
    assert message == f"{CLAIMS}:{line}: claim 'sep-nov-577': field 'value': 577.5 is not a whole number"


@pytest.mark.parametrize("percent", ["150", "100.5", "'150'", "'100.01'", "'abc'", "true", "-1"])
def test_percent_outside_0_to_100(data_copy, seed_claims_file, edit_text, load_error, percent):
    line = edit_text(seed_claims_file, "    words: most\n", f"    percent: {percent}\n")
    message = load_error(data_copy, SchemaError)
    assert re.fullmatch(rf"{re.escape(CLAIMS)}:{line}: claim 'most-in-fall': field 'percent': "
                        r".+ is not a percentage from 0 to 100, such as 18 or '17\.5'", message), message


@pytest.mark.parametrize("percent", ["100", "'100'", "'100.0'", "0", "'17.5'", "99.9"])
def test_percent_from_0_to_100_is_accepted(data_copy, seed_claims_file, edit_text, percent):
    edit_text(seed_claims_file, "    words: most\n", f"    percent: {percent}\n")
    assert load_dataset(data_copy).claim("most-in-fall").words.endswith(" percent")


def test_unknown_kind(data_copy, seed_claims_file, edit_text, line_of_text, load_error):
    edit_text(seed_claims_file, "    kind: extremum\n    series: desertion_attempts\n    month: 2023-10",
              "    kind: maximum\n    series: desertion_attempts\n    month: 2023-10")
    line = line_of_text(seed_claims_file, "kind: maximum")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line}: claim 'oct-highest': field 'kind': 'maximum' is not one "
                       f"of {kinds.names()}")
    assert kinds.names()[:6] == ["total", "extremum", "order", "share", "ratio", "context"]


def test_a_number_stated_two_ways(data_copy, seed_claims_file, edit_text, line_of_text, load_error):
    edit_text(seed_claims_file, "    words: most\n", "    words: most\n    percent: 60\n")
    line = line_of_text(seed_claims_file, "- id: most-in-fall")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line}: claim 'most-in-fall': "
                       "state the number exactly one way: percent or words or interval")


def test_an_order_compared_with_nothing(data_copy, seed_claims_file, edit_text, line_of_text,
                                        load_error):
    edit_text(seed_claims_file, "    below: [2023-09, 2023-10]\n    above: others\n", "")
    line = line_of_text(seed_claims_file, "- id: nov-order")
    message = load_error(data_copy, SchemaError)
    assert message.startswith(f"{CLAIMS}:{line}: claim 'nov-order': "), message
    assert "'above' is missing" in message or "say what it is compared with" in message


def test_bad_interval_text_in_a_claim(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    words: nearly doubled\n", "    interval: 1.75 to 2\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line}: claim 'nearly-doubled': field 'interval': '1.75 to 2' "
                       "is not an interval such as '[1.75, 2)'")


def test_vocabulary_follows_its_schema(data_copy, edit_text, load_error):
    line = edit_text(data_copy / "vocabulary.yml", '  most: "(0.5, 1]"\n', '  most: more than half\n')
    message = load_error(data_copy, SchemaError)
    assert message == (f"data/vocabulary.yml:{line}: field 'most': 'more than half' is not an "
                       "interval such as '[1.75, 2)'")


def test_readings_follow_their_schema(data_copy, edit_text, load_error):
    path = data_copy / "readings.yml"
    text = path.read_text()
    path.write_text(text.replace("    comparison_scope: window\n", "    comparison_scope: everywhere\n"))
    line = text[:text.index("comparison_scope: window")].count("\n") + 1
    message = load_error(data_copy, SchemaError)
    assert message == (f"data/readings.yml:{line}: field 'comparison_scope': 'everywhere' is not "
                       "one of ['stated', 'window']")


def test_validate_accepts_a_good_document_and_returns_nothing():
    assert validate({"source": "x", "claims": []}, CLAIMS_FILE_SCHEMA, file="f", lines={}) is None


def test_the_kinds_of_the_schema_are_the_registered_kinds():
    items = CLAIMS_FILE_SCHEMA["properties"]["claims"]["items"]
    assert items["properties"]["kind"]["enum"] == kinds.names()
    assert [b["if"]["properties"]["kind"]["const"] for b in items["allOf"]] == kinds.names()
    tables = [k.table for k in kinds.all_kinds() if k.table]
    assert list(VOCABULARY_SCHEMA["properties"]) == list(dict.fromkeys(tables))
    assert list(VOCABULARY_SCHEMA["properties"])[:3] == ["total", "share", "ratio"]


def test_a_branch_states_oneof_and_anyof_as_its_kind_says():
    """Exactly one way of stating the number is JSON Schema's oneOf; "at least one side" anyOf."""
    branches = {b["if"]["properties"]["kind"]["const"]: b["then"]
                for b in CLAIMS_FILE_SCHEMA["properties"]["claims"]["items"]["allOf"]}
    assert branches["share"]["oneOf"] == [{"required": ["percent"]}, {"required": ["words"]},
                                          {"required": ["interval"]}]
    assert branches["order"]["anyOf"] == [{"required": ["above"]}, {"required": ["below"]}]
    assert "oneOf" not in branches["order"] and "anyOf" not in branches["total"]
    assert "oneOf" not in branches["context"] and "anyOf" not in branches["context"]


def test_data_readme_documents_every_field(seed_data_dir):
    """data/README.md is the researcher's manual: every field of every schema appears in it."""
    readme = (seed_data_dir / "README.md").read_text(encoding="utf-8")
    fields = set(SOURCE_SCHEMA["properties"]) | set(CLAIMS_FILE_SCHEMA["properties"])
    fields |= set(schema._COMMON) | {f for kind in kinds.all_kinds() for f in kind.fields}
    fields |= set(schema._LINKS) | {"alternatives"}
    fields |= set(CLAIMS_FILE_SCHEMA["properties"]["not_used"]["items"]["properties"])
    fields |= set(SOURCE_SCHEMA["properties"]["cites"]["items"]["properties"])
    fields |= set(schema.READINGS_SCHEMA["properties"])
    fields |= set(schema.READINGS_SCHEMA["properties"]["readings"]["additionalProperties"]["properties"])
    missing = sorted(f for f in fields if f"`{f}`" not in readme)
    assert not missing, f"data/README.md does not document: {missing}"
    for kind in kinds.names():
        assert f"kind: {kind}" in readme, f"no YAML example of a {kind} claim"
    assert paths.CLAIMS_SUBDIR in readme and paths.SOURCES_SUBDIR in readme


def test_every_claim_example_in_the_data_readme_is_valid(seed_data_dir):
    """The README's YAML examples follow the schema, and those not marked as modelled are quotes
    that anchor in the seed article."""
    readme = (seed_data_dir / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)
    examples = [block for block in blocks if block.startswith("  - id: ")]
    seed = load_dataset(seed_data_dir)
    text = seed.sources["000_53cf863e7d9b0b6b"].text
    shown = set()
    for block in examples:
        claims = yaml.safe_load(block)
        validate({"source": "000_53cf863e7d9b0b6b", "claims": claims}, CLAIMS_FILE_SCHEMA,
                 file="data/README.md", lines={})
        modelled = set(re.findall(r"^  - id: (\S+) +# modelled", block, flags=re.MULTILINE))
        for raw in claims:
            build_claim(raw, source="000_53cf863e7d9b0b6b", vocabulary=seed.vocabulary)
            shown.add(raw["kind"])
            if raw["id"] not in modelled:
                anchor = anchor_quote(text, raw["quote"], raw.get("quote_prefix"),
                                      raw.get("quote_suffix"))
                assert text[anchor.start:anchor.end] == anchor.exact
    assert shown == set(kinds.names())
