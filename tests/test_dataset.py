"""The whole data set in one call: the bundled seed, cross-file checks, readings, a new source."""
from __future__ import annotations

import hashlib
import shutil

import pytest
import yaml

from helpers.data.anchoring import anchor_quote, normalize
from helpers.data.dataset import load_dataset
from helpers.errors import DataError, ReadingError, SchemaError
from helpers.data.sources import sha256_of

SEED = "000_53cf863e7d9b0b6b"
CLAIMS = f"data/claims/{SEED}.yml"
SEED_IDS = ["sep-nov-577", "jun-aug-305", "nearly-doubled", "apr-nov-over-1000", "most-in-fall",
            "oct-218", "oct-highest", "jun-54", "jun-lowest", "nov-175", "nov-order",
            "court-cases-4000"]


@pytest.fixture(scope="module")
def seed():
    return load_dataset()


# --- the bundled seed ---------------------------------------------------------------------------

def test_the_seed_loads_twelve_claims_in_file_order(seed):
    assert [c.id for c in seed.claims] == SEED_IDS
    assert all(c.source == SEED and c.file == CLAIMS for c in seed.claims)
    assert seed.claim("oct-218").spec.allowed.low == 218


def test_the_default_directory_is_the_bundled_data(seed, seed_data_dir):
    assert seed.directory == seed_data_dir
    assert [c.id for c in load_dataset(str(seed_data_dir)).claims] == SEED_IDS


def test_every_anchor_points_at_its_quote_and_re_anchors(seed):
    text = seed.sources[SEED].text
    assert set(seed.anchors) == set(SEED_IDS)
    for claim in seed.claims:
        anchor = seed.anchors[claim.id]
        assert text[anchor.start:anchor.end] == anchor.exact
        assert normalize(anchor.exact)[0] == normalize(claim.quote)[0].strip()
        again = anchor_quote(text, anchor.exact, anchor.prefix, anchor.suffix)
        assert (again.start, again.end) == (anchor.start, anchor.end), claim.id


def test_every_claim_line_is_where_its_id_is(seed, seed_data_dir):
    lines = (seed_data_dir / "claims" / f"{SEED}.yml").read_text("utf-8").splitlines()
    for claim in seed.claims:
        assert lines[claim.line - 1].strip() == f"- id: {claim.id}"


def test_the_source_hash_matches_and_the_year_is_inferred(seed, seed_data_dir):
    source = seed.sources[SEED]
    data = (seed_data_dir / "sources" / f"{SEED}.txt").read_bytes()
    assert source.provenance["sha256"] == hashlib.sha256(data).hexdigest()
    assert source.provenance["date_published"] == "2023-12"
    assert "date_published" in source.inferred()


def test_numbers_left_out_are_anchored_with_their_reasons(seed):
    assert len(seed.not_used) == 2
    text = seed.sources[SEED].text
    for item in seed.not_used:
        assert text[item.anchor.start:item.anchor.end] == item.anchor.exact
        assert item.reason


def test_the_seed_readings_and_vocabulary(seed):
    assert seed.readings.default == "one-series"
    assert seed.readings.get(None).name == "one-series"
    assert set(seed.readings.by_name) == {"one-series", "extremes-over-window",
                                          "non-strict-extremes", "separate-series"}
    one = seed.readings.get("one-series")
    assert one.series_of("appeals") == one.series_of("desertion_attempts") == "help_requests"
    assert seed.readings.get("separate-series").series_of("appeals") == "appeals"
    assert str(seed.vocabulary.lookup("ratio", "nearly doubled")) == "[1.75, 2)"


# --- errors across files ------------------------------------------------------------------------

def test_duplicate_id_names_where_the_first_one_was(data_copy, seed_claims_file, edit_text,
                                                    line_of_text, load_error):
    first = line_of_text(seed_claims_file, "- id: sep-nov-577")
    line = edit_text(seed_claims_file, "  - id: jun-aug-305\n", "  - id: sep-nov-577\n")
    message = load_error(data_copy, SchemaError)
    assert message == (f"{CLAIMS}:{line}: claim 'sep-nov-577': duplicate id, first used at "
                       f"{CLAIMS}:{first}; give each claim its own id")


def test_duplicate_id_in_another_claims_file(data_copy, seed_claims_file, read_claims,
                                             write_claims, load_error):
    document = read_claims(data_copy)
    other = {"source": SEED, "claims": [dict(document["claims"][7])]}  # jun-54 again
    write_claims(data_copy, other, name="001_more.yml")
    first = seed_claims_file.read_text().splitlines().index("  - id: jun-54") + 1
    message = load_error(data_copy, SchemaError)
    assert message == (f"data/claims/001_more.yml:3: claim 'jun-54': duplicate id, first used at "
                       f"{CLAIMS}:{first}; give each claim its own id")


def test_source_that_does_not_exist(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, f"source: {SEED}\n", "source: 001_missing\n")
    message = load_error(data_copy, DataError)
    assert message == (f"{CLAIMS}:{line}: source '001_missing' does not exist (known: {SEED}); "
                       "add sources/001_missing.yml or fix 'source'")


def test_unknown_reading_name_names_the_known_ones(seed):
    with pytest.raises(ReadingError) as info:
        seed.readings.get("two-series")
    message = str(info.value)
    assert message == ("unknown reading 'two-series'; data/readings.yml defines: "
                       "extremes-over-window, non-strict-extremes, one-series, separate-series")


def test_default_reading_that_is_not_defined(data_copy, edit_text, load_error):
    line = edit_text(data_copy / "readings.yml", "default: one-series\n", "default: one-serie\n")
    message = load_error(data_copy, ReadingError)
    assert message == (f"data/readings.yml:{line}: default reading 'one-serie' is not defined "
                       "(defined: extremes-over-window, non-strict-extremes, one-series, "
                       "separate-series)")


def test_empty_interval_in_the_vocabulary(data_copy, edit_text, load_error):
    line = edit_text(data_copy / "vocabulary.yml", '  about: "[0.9, 1.1]"\n', '  about: "[1.1, 0.9]"\n')
    message = load_error(data_copy, SchemaError)
    assert message == (f"data/vocabulary.yml:{line}: total 'about': '[1.1, 0.9]' is empty: "
                       "its low end is not below its high end")


def test_missing_data_directory(tmp_path):
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path / "nowhere")
    assert "does not exist; pass --data DIR" in str(info.value)


def test_no_claims(data_copy, load_error):
    shutil.rmtree(data_copy / "claims")
    assert load_error(data_copy, DataError) == "no claims: add a claims file to data/claims/"


def test_missing_vocabulary(data_copy, load_error):
    (data_copy / "vocabulary.yml").unlink()
    assert load_error(data_copy, SchemaError) == "data/vocabulary.yml: file not found; restore it"


def test_messages_name_the_directory_as_given_not_its_absolute_path(tmp_path, seed_data_dir):
    data = tmp_path / "other-data"
    shutil.copytree(seed_data_dir, data)
    claims = data / "claims" / f"{SEED}.yml"
    claims.write_text(claims.read_text().replace("    value: 577\n", "    value: -1\n"))
    with pytest.raises(SchemaError) as info:
        load_dataset(data)
    assert str(info.value).startswith(f"other-data/claims/{SEED}.yml:10: claim 'sep-nov-577': ")
    assert str(tmp_path) not in str(info.value)


# --- adding a source the way data/README.md says ------------------------------------------------

def test_adding_a_source_step_by_step(data_copy, write_claims):
    text = "In January 2024 the group received 212 appeals, about 10 percent more than in December.\n"
    (data_copy / "sources" / "001_example.txt").write_text(text, encoding="utf-8")
    record = {
        "id": "001_example", "text": "001_example.txt",
        "sha256": sha256_of((data_copy / "sources" / "001_example.txt").read_bytes()),
        "title": "An example", "language": "en", "publisher": None, "author": None, "url": None,
        "date_published": "2024-02", "date_accessed": None, "licence": "CC0",
        "inferred": {"date_published": "The text names January 2024 as past."},
    }
    (data_copy / "sources" / "001_example.yml").write_text(yaml.safe_dump(record, sort_keys=False))
    write_claims(data_copy, {"source": "001_example", "claims": [
        {"id": "jan-2024-212", "kind": "total", "series": "appeals", "period": "2024-01",
         "value": 212, "quote": "received 212 appeals"},
        {"id": "jan-over-dec", "kind": "ratio", "series": "appeals", "numerator": "2024-01",
         "denominator": "2023-12", "percent_change": 10,
         "quote": "about 10 percent more than in December"},
    ]}, name="001_example.yml")
    dataset = load_dataset(data_copy)
    assert [c.id for c in dataset.claims] == SEED_IDS + ["jan-2024-212", "jan-over-dec"]
    anchor = dataset.anchors["jan-2024-212"]
    assert text[anchor.start:anchor.end] == "received 212 appeals"
    assert dataset.claim("jan-over-dec").file == "data/claims/001_example.yml"


def test_data_directory_that_is_a_file(tmp_path):
    (tmp_path / "data.yml").write_text("a: 1\n")
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path / "data.yml")
    assert str(info.value) == (f"data directory {tmp_path / 'data.yml'} is a file, not a "
                               f"directory; pass --data DIR, the folder that holds sources/, "
                               f"claims/ and vocabulary.yml")


def test_a_folder_named_like_a_record_says_so(data_copy, load_error):
    (data_copy / "sources" / "zz.yml").mkdir()
    assert load_error(data_copy, SchemaError) == (
        "data/sources/zz.yml: is a folder, not a file; move it out of data/sources/ or rename it")
