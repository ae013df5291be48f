"""The Python API for pipelines: one text, or a pandas batch of them.

`clean_batch` is the one batch function; the command line, the local process
pool, Dask partitions, Ray batches and Spark's `mapInPandas` all run documents
through it. Engines are built once per process and cached by their options.

pandas is imported by the functions that take or make frames, not with the
module: the command line and its workers never need it, and it was most of
their start-up time and of their memory.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from auditor.document import Document
from auditor.edits import edit_record
from auditor.engine import MAX_CHARS, Engine, Result, failed
from auditor.metadata import document_metadata
from auditor.report import frame, rows
from auditor.rulepack import configure, load_rules, select_rules

if TYPE_CHECKING:
    import pandas as pd


# Findings below this confidence are flagged, not fixed. A built-in removing rule's
# confidence is its removal precision measured on the public benchmarks
# (rules/calibration/precision.toml), so the default removes text only with rules that
# were right at least nine times in ten on every set they were judged on.
DEFAULT_MIN_CONFIDENCE = 0.9


@dataclass(frozen=True)
class RuleOptions:
    """Which rules run, and how sure a fix must be: everything needed to build the
    same engine in any process (it pickles, and it is hashable)."""

    packs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    max_chars: int = MAX_CHARS
    severity: tuple[tuple[str, str], ...] = ()
    params: tuple[tuple[str, str], ...] = ()  # (rule, JSON of parameters)
    config: str = ""  # where the overrides came from, for messages

    def engine(self) -> Engine:
        return engine_for(self)


@lru_cache(maxsize=8)
def engine_for(options: RuleOptions) -> Engine:
    rules = configure(load_rules(options.packs), options.severity,
                      [(k, json.loads(v)) for k, v in options.params],
                      options.config or "configuration")
    rules = select_rules(rules, options.select or None, options.ignore, options.extend_select)
    return Engine(rules, min_confidence=options.min_confidence, max_chars=options.max_chars)


DEFAULT = RuleOptions()


@dataclass
class Cleaned:
    """One document after the engine: its cleaned text, report rows and metadata."""

    id: str
    text: str
    records: list[dict]
    meta: dict
    changed: bool = False
    error: str = ""
    edit_record: dict = field(default_factory=dict)


def clean_text(text: str, options: RuleOptions = DEFAULT, doc_id: str = "",
               corpus: Any = None) -> Result:
    """Run the rules on one text; the result holds findings, edits and the cleaned text."""
    return options.engine().run(Document(text, doc_id), corpus)


def clean_document(doc: Document, options: RuleOptions = DEFAULT, corpus: Any = None) -> Cleaned:
    """One document through the engine. Whatever fails on it (a rule, the metadata)
    leaves it as it was, with an `AUD001 rule-failed` finding: never the run."""
    error = doc.meta.get("error", "")
    try:
        result = options.engine().run(doc, corpus)
        meta = document_metadata(result)
    except Exception as exc:
        result = Result(doc, [failed(doc, exc)], [], doc.text)
        meta = document_metadata(result)
    return Cleaned(doc.id, result.cleaned, rows(doc.id, result.findings), meta,
                   result.changed, error, edit_record(doc, result.edits))


def clean_documents(docs: Iterable[Document], options: RuleOptions = DEFAULT,
                    corpus: Any = None) -> list[Cleaned]:
    return [clean_document(d, options, corpus) for d in docs]


def clean_batch(df: pd.DataFrame, text_field: str = "text", id_field: str | None = None,
                options: RuleOptions = DEFAULT, corpus: Any = None,
                date_field: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean a pandas batch: returns (cleaned frame, findings frame).

    The cleaned frame is `df` with `text_field` cleaned and the per-document
    metadata columns added; the findings frame has the report's columns, its
    `file` column holding the document id (`id_field`, or the row index).
    With `date_field`, that column states each row's publication date (ISO 8601
    text, or dates and timestamps), judged as a ` date` header line is.
    """
    import pandas as pd

    if text_field not in df.columns:
        raise KeyError(f"no column {text_field!r} in the batch (columns: {', '.join(map(str, df.columns))})")
    ids = (df[id_field].astype(str) if id_field else pd.Series(df.index, index=df.index).astype(str))
    texts = df[text_field].fillna("").astype(str)
    dates = list(df[date_field]) if date_field in df.columns else [None] * len(df)
    done = [clean_document(Document(t, i, date_field=date_field or "", date_value=v), options,
                           corpus) for i, t, v in zip(ids, texts, dates)]
    cleaned = df.copy()
    cleaned[text_field] = [c.text for c in done]
    meta = pd.DataFrame([c.meta for c in done], index=df.index)
    for col in meta.columns:
        cleaned[col] = meta[col]
    findings = frame(r for c in done for r in c.records)
    return cleaned, findings


class Cleaner:
    """`clean_batch` as one frame in, one frame out, for the batch APIs of engines.

    The findings ride along as a JSON column (`findings`); `findings_frame`
    unpacks them. Use it unchanged with Dask `map_partitions`, Ray
    `map_batches(batch_format="pandas")` and, per batch, Spark `mapInPandas`.
    """

    def __init__(self, text_field: str = "text", id_field: str | None = None,
                 options: RuleOptions = DEFAULT, corpus: Any = None,
                 date_field: str | None = None):
        self.text_field, self.id_field, self.date_field = text_field, id_field, date_field
        self.options, self.corpus = options, corpus

    def __call__(self, df: pd.DataFrame) -> pd.DataFrame:
        import pandas as pd

        cleaned, findings = clean_batch(df, self.text_field, self.id_field, self.options,
                                        self.corpus, self.date_field)
        by_doc = {k: g.to_dict("records") for k, g in findings.groupby("file", sort=False)}
        ids = (df[self.id_field].astype(str) if self.id_field
               else pd.Series(df.index, index=df.index).astype(str))
        cleaned["findings"] = [json.dumps(by_doc.get(i, []), ensure_ascii=False, default=str)
                               for i in ids]
        return cleaned

    def iter_batches(self, batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        """For Spark's `mapInPandas`, which hands over an iterator of frames."""
        for df in batches:
            yield self(df)


def findings_frame(cleaned: pd.DataFrame) -> pd.DataFrame:
    """The findings of frames made by `Cleaner`, as one report frame."""
    return frame(r for cell in cleaned["findings"] for r in json.loads(cell))


def category_counts(records: Iterable[dict]) -> Counter:
    return Counter(r["category"] for r in records)
