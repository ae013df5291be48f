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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Iterable

from auditor.checks import Context
from auditor.document import Document
from auditor.findings import Edit, Finding
from auditor.rulepack import Rule

MAX_PASSES = 6
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
        self.writers: list[Edit] = []  # the replacement that wrote each of those spans
        shift = 0
        for e in edits:
            new_at = e.start + shift
            if e.replacement:
                self.replaced.append((new_at, new_at + len(e.replacement)))
                self.writers.append(e)
            shift += len(e.replacement) - (e.end - e.start)
            self.new_starts.append(e.end + shift)
            self.orig_starts.append(e.end)

    def writer_of(self, start: int, end: int) -> int | None:
        """The index of the replacement whose written text holds the whole span
        (touching its edges is not enough), if any."""
        for i, (a, b) in enumerate(self.replaced):
            if a <= start and end <= b and (a < start or end < b or start < end):
                return i
        return None

    def splits_replacement(self, start: int, end: int) -> bool:
        """Whether a span starts or ends strictly inside text a replacement wrote."""
        return any(a < p < b for a, b in self.replaced for p in (start, end))

    def __call__(self, pos: int) -> int:
        i = bisect_right(self.new_starts, pos) - 1
        return self.orig_starts[i] + (pos - self.new_starts[i])

    def origins(self, doc: Document) -> list[int]:
        """`self(line.start)` for every line of `doc` (the edited text), in order:
        the lines of one unchanged run shift alike, so they are mapped a run at a
        time rather than a line at a time."""
        starts = [line[1] for line in doc.lines]
        out: list[int] = []
        bounds = self.new_starts
        lo = 0
        for i, run_start in enumerate(bounds):
            hi = bisect_left(starts, bounds[i + 1], lo) if i + 1 < len(bounds) else len(starts)
            out.extend(map((self.orig_starts[i] - run_start).__add__, starts[lo:hi]))
            lo = hi
        return out


class Engine:
    """Applies a fixed list of rules; build once per process, reuse for every document."""

    def __init__(self, rules: list[Rule], min_confidence: float = 0.0,
                 max_passes: int = MAX_PASSES, max_chars: int = MAX_CHARS):
        from auditor.checks import registry

        kinds = registry()
        self.rules = list(rules)
        self.order = {r.code: i for i, r in enumerate(self.rules)}
        self.removes = {r.code for r in self.rules if r.info.fix == "remove"}
        # one instance of each check kind, told once of all its rules (a kind may
        # build what they share, such as one pattern screen for all of them)
        instances = {r.check: kinds[r.check]() for r in self.rules}
        for kind, check in instances.items():
            check.prepare([r.settings for r in self.rules if r.check == kind])
        self.runners = [(r, instances[r.check]) for r in self.rules]
        # rules that removing whole lines cannot give new findings (those that
        # decide line by line, among others): a later pass skips them when every
        # line it reads is a line they already read, unchanged
        self.stable = {r.code for r, c in self.runners
                       if c.line_local or c.removal_stable}
        # rules by the phase they run in (see `Check.phase`): a phase starts once the
        # earlier ones have nothing more to remove, on the text they left
        self.phases: dict[int, set[str]] = {}
        for r, c in self.runners:
            self.phases.setdefault(c.phase, set()).add(r.code)
        self.min_confidence = min_confidence
        self.max_passes = max_passes
        self.max_chars = max_chars

    def findings(self, doc: Document, corpus=None, ctx: Context | None = None,
                 fixers_only: bool = False, skip: frozenset | set = frozenset()
                 ) -> list[Finding]:
        """Every rule's findings on `doc`, before any edit is applied (with
        `fixers_only`, only those of rules that can change the text; rules in
        `skip` are not run)."""
        ctx = ctx or Context(corpus=corpus)
        out: list[Finding] = []
        for rule, check in self.runners:
            if fixers_only and rule.info.fix == "flag" or rule.code in skip:
                continue
            try:
                out.extend(check.check(doc, rule.settings, rule.info, ctx))
            except Exception as exc:
                raise RuleFailed(rule.code, exc) from exc
        return out

    def run(self, doc: Document, corpus=None) -> Result:
        """The document's findings and cleaned text. A rule that raises is reported as
        `AUD001 rule-failed` and the document passes through unchanged: one bad
        document, or one rule's bug, never takes a run down."""
        try:
            return self._run(doc, corpus)
        except Exception as exc:
            return Result(doc, [failed(doc, exc)], [], doc.text)

    def _run(self, doc: Document, corpus=None) -> Result:
        original = doc.text
        if len(original) > self.max_chars:
            return Result(doc, [_too_large(doc, self.max_chars)], [], original)
        taken: list[Edit] = []
        reported: list[Finding] = []
        current = doc
        mapper = _Mapper([])
        first = Context(corpus=corpus, original=doc)
        order = sorted(self.phases)
        phase = order[0] if order else 0  # the latest phase whose rules run
        skip = self._after(phase)
        ctx, read = first, doc  # the last pass's context, and the document it read
        for n in range(self.max_passes + max(0, len(order) - 1)):
            if n:
                # a pass over the text the last one read (a later phase starting) keeps
                # that pass's shared analyses: they are functions of the text alone
                memo = dict(ctx.memo) if current is read else {}
                ctx = Context(corpus=corpus, memo=memo, lasting=first.lasting, original=doc)
                read = current
            found = self.findings(current, corpus, ctx, fixers_only=n > 0, skip=skip)
            unsettled: set[str] = set()  # rules with an edit that this pass did not apply
            if n:
                mapped = []
                for f in _compose(found, mapper):
                    g = self._to_original(f, mapper, doc)
                    if g is not None:
                        mapped.append(g)
                    elif f.edit is not None:
                        unsettled.add(f.rule)
                found = mapped
            new = self._resolve(found, taken)
            reported = _settle(reported, new)
            applied = [f.edit for f in new if f.edit is not None and f.action in ("removed", "fixed")]
            if n:  # a later pass's replacement supersedes the earlier edits it contains
                wide = [e for e in applied if not e.is_removal]
                taken = [t for t in taken if not any(
                    e != t and e.start <= t.start and t.end <= e.end and _overlap(e, t)
                    for e in wide)]
            merged = _merge(taken + applied)
            merged = _tidy(original, merged)
            if merged == taken:
                later = [p for p in order if p > phase]
                if not later:
                    break
                phase = later[0]  # the same text, for the next phase's rules alone
                skip = {c for p, codes in self.phases.items() if p != phase for c in codes}
                continue
            unsettled.update(f.rule for f in new
                             if f.edit is not None and f.action not in ("removed", "fixed"))
            previous, previous_mapper = current, mapper
            taken = merged
            mapper = _Mapper(taken)
            current = Document(apply_edits(original, taken), doc.id, doc.meta)
            skip = self._after(phase)
            if self.stable - unsettled and _lines_kept(previous, previous_mapper, current, mapper):
                skip |= self.stable - unsettled
        else:
            last = Context(corpus=corpus, lasting=first.lasting)
            if any(f.edit for f in self.findings(current, corpus, last, fixers_only=True)):
                reported.append(_not_converged(doc, self.max_passes))
        reported = [_with(f, action="flagged") if f.action == "deferred" else f for f in reported]
        reported.sort(key=lambda f: (f.line, f.start, self.order.get(f.rule, 1 << 30)))
        return Result(doc, reported, taken, apply_edits(original, taken), first.memo)

    def _after(self, phase: int) -> set[str]:
        """The rules of the phases after `phase`: they wait."""
        return {c for p, codes in self.phases.items() if p > phase for c in codes}

    def _to_original(self, f: Finding, mapper: _Mapper, doc: Document) -> Finding | None:
        """A later pass's finding in original coordinates; None if it repeats an old one."""
        start, end = mapper(f.start), mapper(f.end)
        edit = f.edit
        if isinstance(edit, _Composed):  # already in original coordinates
            start, end = edit.start, edit.end
            edit = Edit(edit.start, edit.end, edit.replacement, edit.applicability)
        elif edit is not None:
            if mapper.splits_replacement(edit.start, edit.end):
                edit = None
            else:
                edit = Edit(mapper(edit.start), mapper(edit.end), edit.replacement,
                            edit.applicability)
        if edit is None:
            return None  # flag-only findings were reported on the first pass
        line = doc.line_number(start)
        end_line = max(line, doc.line_number(max(start, end - 1)))
        requires = f.requires and tuple((mapper(a), mapper(b)) for a, b in f.requires)
        return _with(f, start=start, end=end, line=line, end_line=end_line, edit=edit,
                     requires=requires)

    def _resolve(self, found: list[Finding], taken: list[Edit]) -> list[Finding]:
        """Decide each finding's action; the edits of non-flagged findings get applied.

        Removals go first (they merge freely), then replacements that clash with
        nothing. A replacement that clashes is `deferred`: the next pass sees the
        text without the removed part and may find it again.
        """
        found = self._keep_one_copy(found, taken)
        out: list[Finding] = []
        accepted: list[Edit] = list(taken)
        members = set(accepted)  # what `accepted` holds (no repeats), for membership tests
        earlier = set(taken)
        ranked = sorted(
            enumerate(found),
            key=lambda p: (p[1].edit is None, not (p[1].edit and p[1].edit.is_removal),
                           p[1].edit.start if p[1].edit else 0,
                           -(p[1].edit.end if p[1].edit else 0),
                           self.order.get(p[1].rule, 1 << 30), p[0]))
        blocks: _Blocks | None = None  # on a first pass, the removals, merged and sorted
        last: Edit | None = None  # the last replacement taken (replacements come in order)
        for _, f in ranked:
            e = f.edit
            if e is None or f.confidence < self.min_confidence:
                out.append(_with(f, action="flagged"))
                continue
            # an edit of a later pass was computed on text that already had the
            # earlier passes' edits applied: it supersedes those it contains
            if earlier:
                superseded = [a for a in accepted if e.start <= a.start and a.end <= e.end
                              and _overlap(a, e) and a in earlier]
                for a in superseded:
                    accepted.remove(a)
                    members.discard(a)
            # a removal is taken whatever it meets (removals merge); only a
            # replacement needs to know what it clashes with
            if e.is_removal or e in members:  # the same composed edit as another finding's
                clash = None
            elif earlier:
                clash = next((a for a in accepted if _overlap(a, e)), None)
            else:
                if blocks is None:  # all removals are in: index them once
                    blocks = _Blocks(accepted)
                clash = blocks.clash(e) or (last if last and _overlap(last, e) else None)
                if clash is None:
                    last = e
            if clash is None:
                if e not in members:
                    accepted.append(e)
                    members.add(e)
                out.append(_with(f, action="removed" if f.rule in self.removes else "fixed"))
            elif clash.is_removal and clash.start <= e.start and e.end <= clash.end:
                out.append(_with(f, action="removed", edit=None))
            else:
                out.append(_with(f, action="deferred"))
        return out


    def _keep_one_copy(self, found: list[Finding], taken: list[Edit]) -> list[Finding]:
        """Drop the fix of a finding whose `requires` span the other removals take.

        A repeat is removed because its first copy stays; when another rule removes
        that copy (page chrome around a list, say), the first repeat that nothing else
        removes takes its place and stays, and the later repeats go as before."""
        if not any(f.requires for f in found):
            return found
        sure = [f.edit for f in found if f.edit is not None and f.edit.is_removal
                and not f.requires and f.confidence >= self.min_confidence]
        removed = _merge(sure + [e for e in taken if e.is_removal])
        survivor: dict[tuple, tuple] = {}
        out = []
        for f in sorted(found, key=lambda f: (f.requires is None, f.start)):
            if f.requires and f.edit is not None and f.confidence >= self.min_confidence:
                kept = survivor.get(f.requires, f.requires)
                if all(_covered(removed, a, b) for a, b in kept):
                    if not _covered(removed, f.start, f.end):
                        survivor[f.requires] = ((f.start, f.end),)
                    f = _with(f, edit=None,
                              message=f"{f.message}, which another rule removed: kept")
                else:
                    removed = _merge(removed + [f.edit])
            out.append(f)
        return out


def _covered(spans: list[Edit], start: int, end: int) -> bool:
    """Whether merged, sorted removals cover `[start, end)` (a line's text, newline aside)."""
    i = bisect_right([e.start for e in spans], start) - 1
    return i >= 0 and spans[i].end >= end


class _Composed(Edit):
    """A later pass's edit folded into the earlier replacement whose text it changes,
    in original coordinates (marks it as already mapped)."""


def _compose(found: list[Finding], mapper: _Mapper) -> list[Finding]:
    """Fold later-pass edits that fall inside text an earlier replacement wrote into
    that replacement: one new replacement of the same original span, with all of
    them applied (a sentence re-joined by one rule, then fixed by another)."""
    inside: dict[int, list[Finding]] = {}
    for f in found:
        if f.edit is not None:
            i = mapper.writer_of(f.edit.start, f.edit.end)
            if i is not None:
                inside.setdefault(i, []).append(f)
    if not inside:
        return found
    composed: dict[int, Finding] = {}
    for i, group in inside.items():
        a = mapper.replaced[i][0]
        writer = mapper.writers[i]
        text, pos, parts, members = writer.replacement, 0, [], []
        for f in sorted(group, key=lambda f: (f.edit.start, f.edit.end)):
            lo, hi = f.edit.start - a, f.edit.end - a
            if lo < pos:
                continue  # overlaps one already folded in: the next pass retries it
            parts += [text[pos:lo], f.edit.replacement]
            pos = hi
            members.append(id(f))
        parts.append(text[pos:])
        edit = _Composed(writer.start, writer.end, "".join(parts), writer.applicability)
        for f in group:
            if id(f) in members:
                composed[id(f)] = _with(f, edit=edit)
    return [composed.get(id(f), f) for f in found]


class _Blocks:
    """Removals merged into sorted, disjoint spans, for finding in O(log n) the one a
    replacement clashes with (a first pass can have thousands of both)."""

    def __init__(self, removals: list[Edit]):
        self.spans = _merge([e for e in removals if e.is_removal])
        self.starts = [e.start for e in self.spans]

    def clash(self, e: Edit) -> Edit | None:
        i = bisect_right(self.starts, max(e.start, e.end - 1)) - 1
        if i >= 0 and _overlap(self.spans[i], e):
            return self.spans[i]
        return None


def _with(f: Finding, **changes) -> Finding:
    """`dataclasses.replace` for findings, without its cost: a copy of the frozen
    finding's fields with `changes` (Finding has no `__post_init__` to rerun)."""
    if not hasattr(f, "__dict__"):  # a slotted Finding: the ordinary way
        return dataclasses.replace(f, **changes)
    g = object.__new__(Finding)
    g.__dict__.update(f.__dict__, **changes)
    return g


def _lines_kept(old: Document, old_map: _Mapper, new: Document, new_map: _Mapper) -> bool:
    """Whether every line of `new` is a line of `old`, untouched: the same text, at the
    same place of the original, with the same header above it.

    Then a stable rule (`Check.line_local` or `Check.removal_stable`) that had all
    its edits applied on `old` finds nothing on `new`: each line of `new` was there,
    and drew no edit from it, before; removing the others cannot change that.
    """
    if (old.header.raw if old.header else None) != (new.header.raw if new.header else None):
        return False
    had = set(zip(old_map.origins(old), map(_TEXT_AND_PLACE, old.lines)))
    return had.issuperset(zip(new_map.origins(new), map(_TEXT_AND_PLACE, new.lines)))


_TEXT_AND_PLACE = itemgetter(3, 4)  # a line's text, and whether it is on the header line


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
    parts, end, size = [], pos, 0
    for e in reversed(done):
        if e.end > end:
            continue
        parts.append(text[e.end:end] + e.replacement)
        size += len(parts[-1])
        end = e.start
        if size >= want:
            return "".join(reversed(parts))
    parts.append(text[:end])
    return "".join(reversed(parts))


def _settle(reported: list[Finding], new: list[Finding]) -> list[Finding]:
    """Add a pass's findings; a deferred finding that a later pass applied is kept once,
    and a finding flagged again on a later pass (its fix below --min-confidence, so its
    text is still there) is not reported twice."""
    kept = []
    for old in reported:
        if old.action == "deferred" and any(
                n.rule == old.rule and n.start < old.end and old.start < n.end for n in new):
            continue
        kept.append(old)
    flagged = {(f.rule, f.start, f.end) for f in kept if f.action == "flagged"}
    return kept + [n for n in new
                   if not (n.action == "flagged" and (n.rule, n.start, n.end) in flagged)]


class RuleFailed(Exception):
    """A rule raised on one document; carries the rule's code and the exception."""

    def __init__(self, code: str, exc: Exception):
        super().__init__(code, exc)
        self.code, self.exc = code, exc


FAILED = "AUD001"


def failed(doc: Document, exc: Exception) -> Finding:
    """The finding for a document that a rule (or the engine) could not process."""
    if isinstance(exc, RuleFailed):
        who, exc = f"rule {exc.code}", exc.exc
    else:
        who = "the engine"
    return Finding(rule=FAILED, name="rule-failed", category="tool", severity="error",
                   line=1, end_line=1, start=0, end=0,
                   message=f"{who} failed on this document ({type(exc).__name__}: {exc}); "
                           "the text was left as it was")


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
