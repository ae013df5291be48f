"""auditor as a datatrove pipeline step: `AuditorCleaner`.

Needs datatrove (`pip install "auditor[datatrove]"`); the rest of auditor never
imports this module. The step runs on datatrove's local, Slurm and Ray executors
alike: it holds only its options (they pickle), and each worker builds the rule
engine once.
"""
from __future__ import annotations

import contextlib
from collections import Counter
from typing import Iterable

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.batching import batched
from datatrove.utils.typeshelper import StatHints

from auditor.api import DEFAULT, Cleaned, RuleOptions, clean_documents
from auditor.document import Document
from auditor.metadata import with_metadata
from auditor.report import is_problem
from auditor.rulepack import select_rules

EMPTY = "empty"  # the drop reason of a document with no text left but its header line


class AuditorCleaner(PipelineStep):
    """Clean each document's text with auditor's rules, as `auditor clean` does.

    - `doc.text` becomes the cleaned text: the same, byte for byte, as `auditor clean`
      writes for that text with the same `options` (rules, selection, confidence).
    - `doc.metadata` gets the document's metadata, as the cleaned JSONL and Parquet
      files carry it: `header_date`, `inferred_date`, `date_status`, `title`, `byline`,
      `dateline` and `n_<category>` problem counts; a key already there keeps its
      value, ours is then named `auditor_<name>`.
    - `date_field` names the metadata key that holds the document's publication date
      (datatrove's readers put a record's other fields in `doc.metadata`: `"date"` for
      trafilatura's JSON, `"date_publish"` for news-please); the date rules then judge
      it as `auditor clean --date-field` does.
    - datatrove's stats count, per document, its problems by category
      (`problems_<category>`), the documents changed, and, as its filters do, those
      taken in, forwarded and dropped (`dropped_<reason>`).
    - a document whose text is not a string is passed on as it is (counted in
      `text_not_a_string`).
    - `drop_if` drops documents, as a filter would: rule codes, code prefixes or names
      (as `--select` takes them; e.g. `"no-article-text"`, `"header-date-mismatch"`),
      and `"empty"` for a document with no text left but its header line. A document
      with a problem found by one of those rules is dropped, with that rule's name as
      the reason (`metadata["filter_reason"]`); give an `exclusion_writer` and every
      dropped document is written there, so that nothing is lost silently.

    Corpus statistics need a first pass that a streaming step does not have:
    `auditor clean` counts the lines that recur across a corpus before it cleans
    (NAV150); here that rule finds nothing (as with `auditor clean
    --no-corpus-stats`). Learn the recurring lines once instead, with `auditor learn
    SAMPLE --out learned.toml`, and give the pack: `RuleOptions(packs=("learned.toml",))`.
    """

    name = "🧹 auditor"
    type = "✂️ - FORMAT"

    def __init__(self, options: RuleOptions = DEFAULT, drop_if: Iterable[str] = (),
                 exclusion_writer: DiskWriter | None = None, batch_size: int = 64,
                 date_field: str | None = None):
        super().__init__()
        self.options = options
        self.date_field = date_field
        self.exclusion_writer = exclusion_writer
        self.batch_size = batch_size
        selectors = [s for s in drop_if if s != EMPTY]
        self.drop_empty = EMPTY in drop_if
        # a selector that matches none of the rules that run raises here (PackError),
        # not after a day of processing
        self.drop_rules = ({r.code: r.name for r in select_rules(options.engine().rules, selectors)}
                           if selectors else {})

    def document(self, doc) -> Document:
        """auditor's document for a datatrove one: its text, id and, with `date_field`,
        its date."""
        if self.date_field:
            return Document(doc.text, str(doc.id), date_field=self.date_field,
                            date_value=(doc.metadata or {}).get(self.date_field))
        return Document(doc.text, str(doc.id))

    def drop_reason(self, result: Cleaned) -> str | None:
        """Why a cleaned document is dropped (a rule's name, or "empty"), or None."""
        for r in result.records:
            if r["rule"] in self.drop_rules:
                return self.drop_rules[r["rule"]]
        if self.drop_empty and not Document(result.text).body_lines:
            return EMPTY
        return None

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        with self.exclusion_writer or contextlib.nullcontext() as writer:
            for batch in batched(data, self.batch_size):
                texts = [d for d in batch if isinstance(d.text, str)]
                with self.track_time("batch"):
                    results = iter(clean_documents([self.document(d) for d in texts],
                                                   self.options))
                for doc in batch:
                    self.stat_update(StatHints.total)
                    if not isinstance(doc.text, str):  # another step's slip: passed on as it is
                        self.stat_update("text_not_a_string", StatHints.forwarded)
                        yield doc
                        continue
                    result = next(results)
                    doc.text = result.text
                    doc.metadata = with_metadata(doc.metadata, result.meta)
                    self.stat_update("changed", value=int(result.changed))
                    problems = Counter(r["category"] for r in result.records if is_problem(r))
                    for category, n in sorted(problems.items()):
                        self.stat_update(f"problems_{category}", value=n)
                    reason = self.drop_reason(result)
                    if reason is None:
                        self.stat_update(StatHints.forwarded)
                        self.update_doc_stats(doc)
                        yield doc
                        continue
                    self.stat_update(StatHints.dropped, f"dropped_{reason}")
                    if writer is not None:
                        doc.metadata["filter_reason"] = reason
                        writer.write(doc, rank)
