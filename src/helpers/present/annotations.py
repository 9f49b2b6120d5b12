"""Claims as W3C Web Annotations (JSON-LD), so other annotation tools can read our anchors.

One Annotation per claim: its body describes how the claim is read; its target is the source
with a TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector (start, end in
code points). https://www.w3.org/TR/annotation-model/
"""
from __future__ import annotations

from typing import Any

from helpers.data.dataset import Dataset
from helpers.present.words import describe

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def source_iri(dataset: Dataset, source_id: str) -> str:
    """The source's URL when known, else a stable URN naming it inside this data set."""
    return dataset.sources[source_id].provenance.get("url") or f"urn:desertion-series:source:{source_id}"


def claim_annotation(dataset: Dataset, claim_id: str) -> dict[str, Any]:
    claim = dataset.claim(claim_id)
    anchor = dataset.anchors[claim_id]
    return {
        "@context": CONTEXT,
        "id": f"urn:desertion-series:claim:{claim.id}",
        "type": "Annotation",
        "motivation": "describing",
        "body": {
            "type": "TextualBody",
            "purpose": "describing",
            "format": "text/plain",
            "value": f"{claim.id} ({claim.series}): {describe(claim)}",
        },
        "target": {
            "source": source_iri(dataset, claim.source),
            "selector": [anchor.text_quote_selector(), anchor.text_position_selector()],
        },
    }


def annotation_collection(dataset: Dataset) -> dict[str, Any]:
    items = [claim_annotation(dataset, claim.id) for claim in dataset.claims]
    for item in items:
        del item["@context"]  # stated once, on the collection
    return {
        "@context": CONTEXT,
        "id": "urn:desertion-series:annotations",
        "type": "AnnotationCollection",
        "label": "Claims of the desertion-series data set, anchored in their sources",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
