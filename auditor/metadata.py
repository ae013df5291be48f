"""Per-document metadata for pipeline outputs: what the article says about itself.

Header date (the ` date` line, or the record's `--date-field`), inferred
publication date, its status and the kind of evidence both rest on, title,
byline, dateline and counts of problems by category (as the report counts them:
one per problem, however many rules found it): the columns that JSONL and Parquet
outputs carry next to the cleaned text.
"""
from __future__ import annotations

import re

from auditor.engine import Result
from auditor.findings import problems
from auditor.rulepack import CATEGORIES

DATELINE = re.compile(r"^([A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}(?:,\s+[A-Z][\w.’' -]{1,30})?)\s*"
                      r"(?:\([^)\n]{1,30}\)\s*)?[:—–-]\s")
MAX_TITLE_WORDS = 25
FURNITURE = ("navigation", "header", "caption", "date", "encoding")


def document_metadata(result: Result) -> dict:
    doc = result.doc
    stated = doc.stated_date
    inference = _inference(result)
    meta = {
        "header_date": _stated(stated),
        "inferred_date": _attr(inference, "date"),
        "date_status": _attr(inference, "status") or ("missing" if stated is None else None),
        "date_basis": _attr(inference, "basis"),
        "title": _title(result),
        "byline": next((f.excerpt for f in result.findings if f.name == "byline-line"), None),
        "dateline": _dateline(result.cleaned),
    }
    counts = {c: 0 for c in CATEGORIES}
    for lead, _ in problems(result.findings):
        counts[lead.category] = counts.get(lead.category, 0) + 1
    meta.update({f"n_{c}": n for c, n in counts.items()})
    return meta


def _stated(stated) -> str | None:
    """The stated date as read (YYYY-MM-DD), or as written when it cannot be read."""
    if stated is None:
        return None
    return stated.date.isoformat() if stated.date else stated.value


def _inference(result: Result):
    """The publication-date inference the date rules reached (that of the first of
    them, `header-date-mismatch` in the shipped pack), or one from the analysis they
    shared; None when no date rule ran."""
    shared = result.analyses
    verdict = next((v for k, v in shared.items() if str(k).startswith("dates-inference:")), None)
    if verdict is not None:
        return verdict
    analysis = next((v for k, v in shared.items() if str(k).startswith("dates:")), None)
    return analysis.infer() if analysis is not None else None


def _attr(obj, name):
    value = getattr(obj, name, None) if obj is not None else None
    return None if value is None else str(value)


def _body_lines(text: str, has_header: bool) -> list[str]:
    lines = text.splitlines()
    if has_header and lines:
        lines = lines[1:]
    return [line.strip() for line in lines if line.strip()]


def _title(result: Result) -> str | None:
    """The headline the headline rule took out of the text, or else the first line of
    the original that is neither page furniture nor a sentence."""
    headline = next((f for f in result.findings if f.name == "headline-line"), None)
    if headline is not None:
        return result.doc.text[headline.start:headline.end].strip()
    furniture = {n for f in result.findings if f.category in FURNITURE and f.action == "removed"
                 for n in range(f.line, f.end_line + 1)}
    lines = [line for line in result.doc.body_lines if line.number not in furniture]
    if len(lines) < 2:
        return None
    first = lines[0].stripped
    if 3 <= len(first.split()) <= MAX_TITLE_WORDS and not first.endswith((".", ",", ";", ":")):
        return first
    return None


def _dateline(text: str) -> str | None:
    for line in _body_lines(text, text.startswith(" date "))[:6]:
        m = DATELINE.match(line)
        if m and len(line.split()) > 6:
            return m.group(1).strip()
    return None


def with_metadata(record: dict, meta: dict) -> dict:
    """`record` with the document's metadata added after its own fields. A field
    the record already has keeps its value; ours then takes the first free name of
    `auditor_<name>`, `auditor_auditor_<name>`…, so nothing of the record is lost
    and its own fields stay first, in their order (what restore relies on)."""
    out = dict(record)
    for key, value in meta.items():
        while key in out:
            key = f"auditor_{key}"
        out[key] = value
    return out
