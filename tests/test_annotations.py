"""The exported W3C Web Annotations re-anchor in the source texts."""
from __future__ import annotations

from helpers import paths
from helpers.data.anchoring import anchor_quote
from helpers.present.annotations import annotation_collection
from helpers.data.dataset import load_dataset


def test_one_annotation_per_claim_that_re_anchors():
    dataset = load_dataset(paths.default_data_dir())
    collection = annotation_collection(dataset)
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == len(dataset.claims)
    for claim, item in zip(dataset.claims, items):
        assert item["type"] == "Annotation" and item["id"].endswith(claim.id)
        quote, position = item["target"]["selector"]
        text = dataset.sources[claim.source].text
        assert text[position["start"]:position["end"]] == quote["exact"]
        again = anchor_quote(text, quote["exact"], quote["prefix"] or None, quote["suffix"] or None)
        assert (again.start, again.end) == (position["start"], position["end"])
        assert text[:position["start"]].endswith(quote["prefix"])
        assert text[position["end"]:].startswith(quote["suffix"])
