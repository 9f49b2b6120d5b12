"""The whole data set of a data directory, loaded and checked in one call.

    data/
      sources/<id>.txt   verbatim text          sources/<id>.yml  its provenance
      claims/<id>.yml    claims read from source <id>
      vocabulary.yml     vague words -> intervals
      readings.yml       named readings

Every problem is raised as a DataError naming the file, the line and the claim.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers import paths
from helpers.data.anchoring import Anchor, AnchorAmbiguous, AnchorNotFound, anchor_quote
from helpers.data.checks import check_claim_series, check_texts_have_records
from helpers.data.claims import Claim, build_claim
from helpers.errors import DataError, QuoteError, SchemaError
from helpers.core.readings import Readings, build_readings
from helpers.data.schema import CLAIMS_FILE_SCHEMA, READINGS_SCHEMA, VOCABULARY_SCHEMA, validate
from helpers.data.choices import check_choices
from helpers.data.sources import Source, load_source
from helpers.data.statements import check_statements
from helpers.core.vocabulary import Vocabulary, build_vocabulary
from helpers.data.yamlio import load_yaml, line_of


@dataclass(frozen=True)
class NotUsed:
    """A passage with a number that no claim uses, and why (checked by ``helpers.data.coverage``)."""

    source: str
    quote: str
    reason: str
    anchor: Anchor


@dataclass(frozen=True)
class Dataset:
    directory: Path
    sources: dict[str, Source]
    claims: list[Claim]
    anchors: dict[str, Anchor]  # claim id -> where its quote stands in its source
    vocabulary: Vocabulary
    readings: Readings
    not_used: tuple[NotUsed, ...] = ()

    def claim(self, claim_id: str) -> Claim:
        return next(c for c in self.claims if c.id == claim_id)


def load_dataset(directory: Path | str | None = None) -> Dataset:
    directory = Path(directory) if directory is not None else paths.default_data_dir()
    if directory.is_file():
        raise DataError(f"data directory {directory} is a file, not a directory; pass --data DIR, "
                        f"the folder that holds sources/, claims/ and vocabulary.yml")
    if not directory.is_dir():
        raise DataError(f"data directory {directory} does not exist; pass --data DIR")
    show = _display_for(directory)
    vocabulary_raw, lines = load_yaml(directory / paths.VOCABULARY_FILE, show(paths.VOCABULARY_FILE),
                                      root=directory)
    validate(vocabulary_raw, VOCABULARY_SCHEMA, file=show(paths.VOCABULARY_FILE), lines=lines)
    vocabulary = build_vocabulary(vocabulary_raw, show(paths.VOCABULARY_FILE), lines)

    readings_raw, lines = load_yaml(directory / paths.READINGS_FILE, show(paths.READINGS_FILE),
                                    root=directory)
    validate(readings_raw, READINGS_SCHEMA, file=show(paths.READINGS_FILE), lines=lines)
    readings = build_readings(readings_raw, show(paths.READINGS_FILE), lines)

    sources = _load_sources(directory, show)
    claims, anchors, not_used, series_lines = _load_claims(directory, show, sources, vocabulary)
    check_choices(readings, claims)
    check_claim_series(claims, readings, series_lines)
    return Dataset(directory, sources, claims, anchors, vocabulary, readings, tuple(not_used))


def _display_for(directory: Path):
    """Paths in messages: relative to the data directory's parent, never absolute."""
    def show(*parts: str) -> str:
        return "/".join((directory.name,) + parts)
    return show


def _load_sources(directory: Path, show) -> dict[str, Source]:
    folder = directory / paths.SOURCES_SUBDIR
    sidecars = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    if not sidecars:
        raise DataError(f"no sources: add <id>.txt and its record <id>.yml to {show(paths.SOURCES_SUBDIR)}/")
    sources = {}
    for sidecar in sidecars:
        source = load_source(sidecar, show(paths.SOURCES_SUBDIR, sidecar.name))
        sources[source.id] = source
    check_texts_have_records(folder, (s.provenance["text"] for s in sources.values()), show)
    return sources


def _load_claims(directory: Path, show, sources: dict[str, Source],
                 vocabulary: Vocabulary) -> tuple[list[Claim], dict[str, Anchor], list[NotUsed],
                                                  dict[str, int | None]]:
    folder = directory / paths.CLAIMS_SUBDIR
    files = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    if not files:
        raise DataError(f"no claims: add a claims file to {show(paths.CLAIMS_SUBDIR)}/")
    claims: list[Claim] = []
    anchors: dict[str, Anchor] = {}
    not_used: list[NotUsed] = []
    series_lines: dict[str, int | None] = {}  # claim id -> line of its 'series' field
    first_seen: dict[str, str] = {}
    claim_lines: dict[str, dict[str, int | None]] = {}
    for path in files:
        display = show(paths.CLAIMS_SUBDIR, path.name)
        document, lines = load_yaml(path, display, root=directory)
        validate(document, CLAIMS_FILE_SCHEMA, file=display, lines=lines)
        source_id = document["source"]
        if source_id not in sources:
            known = ", ".join(sorted(sources))
            raise DataError(f"source {source_id!r} does not exist (known: {known}); add "
                            f"sources/{source_id}.yml or fix 'source'",
                            file=display, line=lines.get(("source",)))
        source = sources[source_id]
        for index, raw in enumerate(document["claims"]):
            line = line_of(lines, ("claims", index))
            if raw["id"] in first_seen:
                raise SchemaError(f"duplicate id, first used at {first_seen[raw['id']]}; give each "
                                  f"claim its own id",
                                  file=display, line=line, claim=raw["id"])
            first_seen[raw["id"]] = f"{display}:{line}"
            field_lines = {key: lines.get(("claims", index, key)) for key in raw}
            alternative_lines = {
                name: {"": lines.get(("claims", index, "alternatives", name)),
                       **{key: lines.get(("claims", index, "alternatives", name, key)) for key in fields}}
                for name, fields in raw.get("alternatives", {}).items()}
            claim = build_claim(raw, source=source_id, vocabulary=vocabulary, file=display, line=line,
                                field_lines=field_lines, alternative_lines=alternative_lines)
            claim_lines[claim.id] = field_lines
            anchors[claim.id] = _anchor(claim, source, display, lines, index)
            series_lines[claim.id] = field_lines.get("series")
            claims.append(claim)
        for index, raw in enumerate(document.get("not_used", [])):
            not_used.append(NotUsed(source_id, raw["quote"], raw["reason"], _anchor_text(
                raw, source, display, line_of(lines, ("not_used", index, "quote")),
                f"not_used #{index + 1}")))
    check_statements(claims, claim_lines)
    return claims, anchors, not_used, series_lines


def _anchor(claim: Claim, source: Source, display: str, lines: dict, index: int) -> Anchor:
    raw = {"quote": claim.quote, "quote_prefix": claim.quote_prefix,
           "quote_suffix": claim.quote_suffix}
    return _anchor_text(raw, source, display, line_of(lines, ("claims", index, "quote")), claim.id)


def _anchor_text(raw: dict, source: Source, display: str, line: int | None, who: str) -> Anchor:
    if not raw["quote"].strip():
        raise QuoteError(f"quote is empty (only white space); copy the passage the claim rests on "
                         f"from source {source.id}", file=display, line=line, claim=who)
    try:
        return anchor_quote(source.text, raw["quote"], raw.get("quote_prefix"), raw.get("quote_suffix"))
    except AnchorNotFound as exc:
        if exc.occurrences:
            raise QuoteError(f"quote occurs {exc.occurrences} time(s) in source {source.id}, but "
                             f"never with this quote_prefix/quote_suffix; the first stands in: "
                             f"\"{exc.closest}\"", file=display, line=line, claim=who) from None
        if exc.unicode_forms:
            quote_form, text_form = exc.unicode_forms
            raise QuoteError(f"quote not found in source {source.id}, though it is there in another "
                             f"Unicode form: the quote is written {quote_form}, the source "
                             f"{text_form}, so they look alike but differ; copy the quote from "
                             f"{source.id}.txt" + (", or convert the claims file to NFC (composed) "
                                                   "form" if text_form.endswith("(NFC)") else ""),
                             file=display, line=line, claim=who) from None
        raise QuoteError(f"quote not found in source {source.id}; closest passage: "
                         f"\"{exc.closest}\"", file=display, line=line, claim=who) from None
    except AnchorAmbiguous as exc:
        raise QuoteError(f"quote occurs {exc.count} times in source {source.id}; add quote_prefix "
                         f"or quote_suffix to say which", file=display, line=line,
                         claim=who) from None
