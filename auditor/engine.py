"""Runs the selected rules on a document and resolves their edits into a cleaned text.

Knows no file formats. Edits are resolved deterministically: sorted by position
(then by rule order), overlapping removals merge into one, an edit that clashes
with one already taken is skipped and retried on the next pass over the
partly-cleaned text. Every edit is kept in original-text coordinates, so the
cleaned text is always `apply_edits(original, result.edits)`.
"""
from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Iterable

from auditor.checks import Context
from auditor.document import Document
from auditor.findings import Edit, Finding
from auditor.rulepack import Rule

MAX_PASSES = 3
MAX_CHARS = 8_000_000


@dataclass
class Result:
    """What the engine found in one document and the text it leaves."""

    doc: Document
    findings: list[Finding]
    edits: list[Edit]
    cleaned: str
    analyses: dict = field(default_factory=dict)  # what checks shared on the first pass

    @property
    def changed(self) -> bool:
        return self.cleaned != self.doc.text


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply sorted, non-overlapping edits to `text`."""
    out, pos = [], 0
    for e in edits:
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


class _Mapper:
    """Maps offsets of an edited text back to the original it came from."""

    def __init__(self, edits: list[Edit]):
        self.new_starts: list[int] = [0]  # start, in the new text, of each unchanged run
        self.orig_starts: list[int] = [0]
        self.replaced: list[tuple[int, int]] = []  # new-text spans that replacements wrote
        shift = 0
        for e in edits:
            new_at = e.start + shift
            if e.replacement:
                self.replaced.append((new_at, new_at + len(e.replacement)))
            shift += len(e.replacement) - (e.end - e.start)
            self.new_starts.append(e.end + shift)
            self.orig_starts.append(e.end)

    def splits_replacement(self, start: int, end: int) -> bool:
        """Whether a span starts or ends strictly inside text a replacement wrote."""
        return any(a < p < b for a, b in self.replaced for p in (start, end))

    def __call__(self, pos: int) -> int:
        i = bisect_right(self.new_starts, pos) - 1
        return self.orig_starts[i] + (pos - self.new_starts[i])


class Engine:
    """Applies a fixed list of rules; build once per process, reuse for every document."""

    def __init__(self, rules: list[Rule], min_confidence: float = 0.0,
                 max_passes: int = MAX_PASSES, max_chars: int = MAX_CHARS):
        from auditor.checks import registry

        kinds = registry()
        self.rules = list(rules)
        self.order = {r.code: i for i, r in enumerate(self.rules)}
        self.removes = {r.code for r in self.rules if r.info.fix == "remove"}
        self.runners = [(r, kinds[r.check]()) for r in self.rules]
        self.min_confidence = min_confidence
        self.max_passes = max_passes
        self.max_chars = max_chars

    def findings(self, doc: Document, corpus=None, ctx: Context | None = None,
                 fixers_only: bool = False) -> list[Finding]:
        """Every rule's findings on `doc`, before any edit is applied (with
        `fixers_only`, only those of rules that can change the text)."""
        ctx = ctx or Context(corpus=corpus)
        out: list[Finding] = []
        for rule, check in self.runners:
            if fixers_only and rule.info.fix == "flag":
                continue
            out.extend(check.check(doc, rule.settings, rule.info, ctx))
        return out

    def run(self, doc: Document, corpus=None) -> Result:
        original = doc.text
        if len(original) > self.max_chars:
            return Result(doc, [_too_large(doc, self.max_chars)], [], original)
        taken: list[Edit] = []
        reported: list[Finding] = []
        current = doc
        mapper = _Mapper([])
        first = Context(corpus=corpus)
        for n in range(self.max_passes):
            found = self.findings(current, corpus, first if n == 0 else None, fixers_only=n > 0)
            if n:
                found = [self._to_original(f, mapper, doc) for f in found]
                found = [f for f in found if f is not None]
            new = self._resolve(found, taken)
            reported = _settle(reported, new)
            merged = _merge(taken + [f.edit for f in new
                                     if f.edit is not None and f.action in ("removed", "fixed")])
            merged = _tidy(original, merged)
            if merged == taken:
                break
            taken = merged
            mapper = _Mapper(taken)
            current = Document(apply_edits(original, taken), doc.id, doc.meta)
        else:
            if any(f.edit for f in self.findings(current, corpus, fixers_only=True)):
                reported.append(_not_converged(doc, self.max_passes))
        reported = [f.with_action("flagged") if f.action == "deferred" else f for f in reported]
        reported.sort(key=lambda f: (f.line, f.start, self.order.get(f.rule, 1 << 30)))
        return Result(doc, reported, taken, apply_edits(original, taken), first.memo)

    def _to_original(self, f: Finding, mapper: _Mapper, doc: Document) -> Finding | None:
        """A later pass's finding in original coordinates; None if it repeats an old one."""
        start, end = mapper(f.start), mapper(f.end)
        edit = f.edit
        if edit is not None:
            if mapper.splits_replacement(edit.start, edit.end):
                edit = None
            else:
                edit = dataclasses.replace(edit, start=mapper(edit.start), end=mapper(edit.end))
        if edit is None:
            return None  # flag-only findings were reported on the first pass
        line = doc.line_number(start)
        end_line = max(line, doc.line_number(max(start, end - 1)))
        return dataclasses.replace(f, start=start, end=end, line=line, end_line=end_line,
                                   edit=edit)

    def _resolve(self, found: list[Finding], taken: list[Edit]) -> list[Finding]:
        """Decide each finding's action; the edits of non-flagged findings get applied.

        Removals go first (they merge freely), then replacements that clash with
        nothing. A replacement that clashes is `deferred`: the next pass sees the
        text without the removed part and may find it again.
        """
        out: list[Finding] = []
        accepted: list[Edit] = list(taken)
        earlier = set(taken)
        ranked = sorted(
            enumerate(found),
            key=lambda p: (p[1].edit is None, not (p[1].edit and p[1].edit.is_removal),
                           p[1].edit.start if p[1].edit else 0,
                           -(p[1].edit.end if p[1].edit else 0),
                           self.order.get(p[1].rule, 1 << 30), p[0]))
        for _, f in ranked:
            e = f.edit
            if e is None or f.confidence < self.min_confidence:
                out.append(f.with_action("flagged"))
                continue
            # an edit of a later pass was computed on text that already had the
            # earlier passes' edits applied: it supersedes those it contains
            superseded = [a for a in accepted if a in earlier and _overlap(a, e)
                          and e.start <= a.start and a.end <= e.end]
            for a in superseded:
                accepted.remove(a)
            clash = next((a for a in accepted if _overlap(a, e)), None)
            if clash is None or e.is_removal:
                accepted.append(e)
                out.append(f.with_action("removed" if f.rule in self.removes else "fixed"))
            elif clash.is_removal and clash.start <= e.start and e.end <= clash.end:
                out.append(dataclasses.replace(f, action="removed", edit=None))
            else:
                out.append(f.with_action("deferred"))
        return out


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # an insertion clashes only strictly inside
        return a.start < b.end and b.start < a.end and a.start != b.start
    return a.start < b.end and b.start < a.end


def _merge(edits: list[Edit]) -> list[Edit]:
    """Sort edits; merge overlapping or touching removals; drop exact repeats."""
    out: list[Edit] = []
    for e in sorted(set(edits), key=lambda e: (e.start, -e.end, e.replacement)):
        if out and out[-1].is_removal and e.is_removal and e.start <= out[-1].end:
            out[-1] = Edit(out[-1].start, max(out[-1].end, e.end), "", out[-1].applicability)
            continue
        if out and e.start < out[-1].end:
            last = out[-1]
            if last.is_removal and e.is_removal:
                out[-1] = Edit(last.start, max(last.end, e.end), "", last.applicability)
            elif last.is_removal and e.end <= last.end:
                continue
            elif e.is_removal and e.start <= last.start:
                out[-1] = Edit(last.start, max(last.end, e.end), "", e.applicability)
            continue
        out.append(e)
    return out


BLANK_RUN = re.compile(r"(?:[ \t\r]*\n)+")


def _tidy(text: str, edits: list[Edit]) -> list[Edit]:
    """Widen whole-line removals so they leave no run of blank lines behind.

    A removed block that, once earlier edits are applied, stands after a blank
    line or at the top (below the header, if any) takes the blank lines after
    it; one that reaches the end takes the blank lines before it.
    """
    out: list[Edit] = []
    for e in edits:
        whole_lines = e.is_removal and (e.start == 0 or text[e.start - 1] == "\n") \
            and text[e.end - 1] == "\n"
        if whole_lines:
            m = BLANK_RUN.match(text, e.end)
            after = m.end() if m else e.end
            if after == len(text):
                content = len(text[:e.start].rstrip())
                nl = text.find("\n", content)
                e = Edit(nl + 1 if 0 <= nl < e.start else e.start, after, "", e.applicability)
            elif not (before := _surviving_before(text, out, e.start)).strip() or before.endswith(("\n\n", "\n\r\n")) \
                    or HEADER_ONLY.fullmatch(before):
                e = Edit(e.start, after, "", e.applicability)
        out.append(e)
    return _merge(out)


HEADER_ONLY = re.compile(r" date \S*[ \t]*\r?\n")


def _surviving_before(text: str, done: list[Edit], pos: int, want: int = 400) -> str:
    """Up to `want` characters of the text that survives before `pos`, all of it
    when it is shorter (so a caller can tell the top of the document)."""
    parts, end = [], pos
    for e in reversed(done):
        if e.end > end:
            continue
        parts.append(text[e.end:end] + e.replacement)
        end = e.start
        if sum(map(len, parts)) >= want:
            return "".join(reversed(parts))
    parts.append(text[:end])
    return "".join(reversed(parts))


def _settle(reported: list[Finding], new: list[Finding]) -> list[Finding]:
    """Add a pass's findings; a deferred finding that a later pass applied is kept once."""
    kept = []
    for old in reported:
        if old.action == "deferred" and any(
                n.rule == old.rule and n.start < old.end and old.start < n.end for n in new):
            continue
        kept.append(old)
    return kept + new


def _too_large(doc: Document, limit: int) -> Finding:
    return Finding(rule="LAY998", name="document-too-large", category="layout",
                   severity="warning", line=1, end_line=1, start=0, end=0,
                   message=f"{len(doc.text):,} characters is over the limit of {limit:,}; "
                           "no rule was run and the text was left as it was")


def _not_converged(doc: Document, passes: int) -> Finding:
    return Finding(rule="LAY999", name="fixes-did-not-converge", category="layout",
                   severity="warning", line=1, end_line=1, start=0, end=0,
                   message=f"fixes still changed the text after {passes} passes; "
                           "the rest was left as it was")
