"""Date checks: the stated date against what the body says about when it was written.

The stated date is the ` date YYYY-MM-DD` header line, or a record's date field
(`--date-field`); every rule judges both alike (`Document.stated_date`). One
check kind, `dates`, whose `test` parameter picks what a rule looks at: the
header against the inferred publication date, where evidence that dates the
article contradicts it (`mismatch`) or weaker evidence speaks against it
(`suspect`); reports of what happened after the header (`anachronism`); a
missing or malformed header; weekdays that cannot fall where the header puts
them; and dates far beyond the header. Every rule of a document reads the same
`DateAnalysis` and, for given bounds, the same `Inference` (built once, through
`ctx.shared`), so the text is scanned for dates once however many date rules are
selected. The rules only flag: a wrong date is for a person to settle, not for an
edit.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, SettingsError, register
from auditor.datefind import Bounds, DateAnalysis, Inference, analyse, find_dates, nearest_day
from auditor.document import Document, StatedDate
from auditor.findings import Finding

BOUND_PARAMS = tuple(f.name for f in dataclasses.fields(Bounds))
TESTS = {
    "mismatch": BOUND_PARAMS + ("min_confidence",),
    "suspect": BOUND_PARAMS,
    "anachronism": BOUND_PARAMS,
    "missing": (),
    "malformed": (),
    "weekday": (),
    "implausible": ("future_years",),
}
COMMON = ("test", "order", "message")
HEADER_LIKE_RE = re.compile(r"^\s*date\s*[:=]?\s*(\d[\d./-]{4,}\d)(?!\S)", re.IGNORECASE)
# Roles whose date the article presents as its own or as past: a far-future one is suspect.
REPORTING_ROLES = ("report", "event", "embed", "dateline", "published", "today")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class DateSettings(Bounds):
    """`test` picks the question; the other fields tune it (see `TESTS`). The
    `Bounds` fields, with their defaults, are inherited: one list of them."""

    test: str = ""
    order: str = ""
    message: str = ""
    min_confidence: float = 0.0
    future_years: int = 10

    def __post_init__(self):
        if self.test not in TESTS:
            raise ValueError(f"test must be one of {', '.join(TESTS)}, not {self.test!r}")
        if self.order not in ("", "dmy", "mdy"):
            raise ValueError("order must be 'dmy', 'mdy' or '' (let each document settle it)")
        for name in BOUND_PARAMS + ("future_years",):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError("min_confidence must be between 0 and 1")

    @property
    def bounds(self) -> Bounds:
        return Bounds(**{name: getattr(self, name) for name in BOUND_PARAMS})


def shared_analysis(doc: Document, ctx: Context, order: str = "") -> DateAnalysis:
    """The document's date analysis, built on first use and shared by every date rule."""
    stated = doc.stated_date
    return ctx.shared(f"dates:{order}", lambda: analyse(
        doc.text, stated.date if stated else None, stated.body_start if stated else 0,
        order or None))


def shared_inference(doc: Document, ctx: Context, settings: DateSettings) -> Inference:
    """The verdict on the stated date for these bounds, built once and shared: the
    mismatch and suspect rules (and the document's metadata) read the same one."""
    return ctx.shared(f"dates-inference:{settings.order}:{settings.bounds}",
                      lambda: shared_analysis(doc, ctx, settings.order).infer(settings.bounds))


def _dated(doc: Document) -> StatedDate | None:
    """The stated date, when there is one and it can be read."""
    stated = doc.stated_date
    return stated if stated is not None and stated.date is not None else None


@register
class DateCheck(Check):
    """Flags header dates the body contradicts, and dates that cannot be right."""

    kind = "dates"
    Settings = DateSettings

    @classmethod
    def build_settings(cls, params: dict) -> DateSettings:
        test = params.get("test")
        allowed = set(COMMON) | set(TESTS.get(test, ()))
        extra = sorted(set(params) - allowed)
        if test in TESTS and extra:
            raise SettingsError(f"parameter(s) {', '.join(extra)} do not apply to test "
                                f"'{test}' (it takes: {', '.join(sorted(allowed))})")
        return super().build_settings(params)

    def check(self, doc: Document, settings: DateSettings, rule: RuleInfo,
              ctx: Context) -> Iterator[Finding]:
        yield from TEST_FUNCTIONS[settings.test](doc, settings, rule, ctx)


def _mismatch(doc, settings: DateSettings, rule: RuleInfo, ctx) -> Iterator[Finding]:
    yield from _verdict(doc, settings, rule, ctx, "contradiction", "contradicts the body")


def _suspect(doc, settings: DateSettings, rule: RuleInfo, ctx) -> Iterator[Finding]:
    yield from _verdict(doc, settings, rule, ctx, "suspect", "may not be the article's date")


def _verdict(doc, settings: DateSettings, rule: RuleInfo, ctx, status: str,
             says: str) -> Iterator[Finding]:
    """A finding on the stated date when the inference reaches `status`."""
    stated = _dated(doc)
    if stated is None:
        return
    inference = shared_inference(doc, ctx, settings)
    if inference.status != status or inference.confidence < settings.min_confidence:
        return
    message = settings.message or (
        f"{stated.label} {stated.date} {says} (evidence: {inference.basis}): "
        f"{inference.reason}")
    yield rule.finding(doc, stated.start, stated.end, message, confidence=inference.confidence,
                       excerpt=_evidence_excerpt(inference), data=_data(inference))


def _evidence_excerpt(inference: Inference) -> str:
    return "; ".join(f"line {e.line}: {e.text}" for e in inference.evidence[:3])


def _data(inference: Inference) -> tuple:
    return (("status", inference.status), ("basis", inference.basis),
            ("inferred", inference.date.isoformat() if inference.date else ""),
            ("evidence", tuple((e.kind, e.line, e.text, e.confidence)
                               for e in inference.evidence)))


def _anachronism(doc, settings: DateSettings, rule: RuleInfo, ctx) -> Iterator[Finding]:
    stated = _dated(doc)
    if stated is None:
        return
    analysis = shared_analysis(doc, ctx, settings.order)
    for d in analysis.anachronisms(settings.bounds):
        date = min(d.mention.readings)
        days = (date - stated.date).days
        message = settings.message or (
            f"reported event on {date}, {days} days after the {stated.label} {stated.date}")
        yield rule.finding(doc, d.mention.start, d.mention.end, message, confidence=0.7)


def _missing(doc, settings: DateSettings, rule: RuleInfo, ctx) -> Iterator[Finding]:
    if doc.stated_date is not None or not doc.text.strip() or _header_like(doc):
        return
    inference = shared_analysis(doc, ctx, settings.order).infer()
    hint = f"; {inference.reason}" if inference.evidence else ""
    what = (f"no date: the record's field {doc.date_field!r} is missing or empty"
            if doc.date_field else "no ' date YYYY-MM-DD' header")
    yield rule.finding(doc, 0, 0, settings.message or f"{what}{hint}", excerpt="",
                       data=_data(inference))


def _header_like(doc: Document) -> re.Match | None:
    """A first line that means to be a header but is not in the ` date YYYY-MM-DD` form
    (never for a record whose date comes from a field)."""
    if doc.header is not None or doc.date_field:
        return None
    return HEADER_LIKE_RE.match(doc.text.split("\n", 1)[0])


def _malformed(doc, settings: DateSettings, rule: RuleInfo, ctx) -> Iterator[Finding]:
    stated = doc.stated_date
    if stated is not None and stated.date is not None:
        return
    if stated is not None:
        start, end, value = stated.start, stated.end, stated.value
    else:
        m = _header_like(doc)
        if m is None:
            return
        start, end, value = m.start(), m.end(), m.group(1)
    readable = find_dates(value)
    hint = f"; it reads as {readable[0].date}" if readable and readable[0].date else ""
    form = ("an ISO 8601 date or date-time of a day" if stated is not None and stated.field
            else "a real date in the form ' date YYYY-MM-DD'")
    label = stated.label if stated is not None else "header date"
    message = settings.message or f"{label} {value!r} is not {form}{hint}"
    if not doc.date_field:  # a field is not in the text: the finding points at nothing
        end = max(end, start + 1)
    yield rule.finding(doc, start, end, message)


def _stated_day(doc: Document) -> dt.date | None:
    stated = doc.stated_date
    return stated.date if stated is not None else None


def _weekday(doc, settings: DateSettings, rule: RuleInfo, ctx) -> Iterator[Finding]:
    header = _stated_day(doc)
    for d in shared_analysis(doc, ctx, settings.order).dates:
        m = d.mention
        if m.weekday is None or m.date is None:
            continue  # no weekday, or 03/04/2025 read two ways
        message = _weekday_problem(m, header)
        if message:
            yield rule.finding(doc, m.start, m.end, settings.message or message,
                               confidence=0.8)


def _weekday_problem(m, header: dt.date | None) -> str:
    """Why a weekday written with a date is impossible, or "" when it is fine.

    With a year, the date must fall on the weekday. Without one, the day must
    fall on it in the year nearest the header (a weekday pins the year).
    """
    stated = WEEKDAYS[m.weekday]
    if m.year_from == "text":
        actual = m.date
        if actual.weekday() == m.weekday:
            return ""
        return f"{actual} is a {WEEKDAYS[actual.weekday()]}, not a {stated}"
    if header is None:
        return ""
    near = nearest_day(m, header)
    if near is None or near.weekday() == m.weekday:
        return ""
    return (f"{stated} does not fit: near the header date {header}, "
            f"{near:%B} {near.day} is a {WEEKDAYS[near.weekday()]}")


# A number right before a date's day: the day is one cell of a calendar or a table
# ("… 29 30 31 November 2020 Mo Di …"), not a date someone wrote.
IN_NUMBER_RUN = re.compile(r"(?<![\w.,])\d{1,4}[ \t]+\Z")


def _implausible(doc, settings: DateSettings, rule: RuleInfo, ctx) -> Iterator[Finding]:
    header = _stated_day(doc)
    analysis = shared_analysis(doc, ctx, settings.order)
    for d in analysis.impossible:
        m = d.mention
        if m.form in ("dm", "md", "ym") and not IN_NUMBER_RUN.search(doc.text, 0, m.start):
            yield rule.finding(doc, m.start, m.end,
                               settings.message or f"{m.text!r} names no real day")
    for d in analysis.dates if header else ():
        if _far_future(d, header, settings.future_years):
            m = d.mention
            yield rule.finding(doc, m.start, m.end, settings.message or (
                f"{m.date} is more than {settings.future_years} years after the header "
                f"date {header}"), confidence=0.7)


def _far_future(d, header: dt.date, years: int) -> bool:
    m = d.mention
    if m.year_from != "text" or m.date is None or d.role not in REPORTING_ROLES:
        return False
    return (m.date - header).days > 365.25 * years


TEST_FUNCTIONS = {"mismatch": _mismatch, "suspect": _suspect, "anachronism": _anachronism,
                  "missing": _missing, "malformed": _malformed, "weekday": _weekday,
                  "implausible": _implausible}
