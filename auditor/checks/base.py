"""The contract between rule packs and check kinds.

A check kind is a class with a frozen `Settings` dataclass (built and validated
once, when a pack loads) and a pure `check(doc, settings, rule, ctx)` that yields
findings. `RuleInfo` carries what the pack declared about the rule, and builds
findings so that every check fills them the same way.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator

from auditor.document import Document, Line
from auditor.findings import Edit, Finding, excerpt_of
from auditor.patterns import Scan, Screen


class SettingsError(ValueError):
    """A rule's parameters do not fit its check kind."""


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    category: str
    severity: str
    fix: str = "remove"  # remove | fix | flag
    # the removal precision measured on the public benchmarks (rules/calibration/):
    # when set, every finding of the rule carries it, whatever its check proposes
    confidence: float | None = None

    def finding(self, doc: Document, start: int, end: int, message: str, *,
                edit: Edit | None = None, confidence: float = 1.0,
                excerpt: str | None = None, data: tuple = ()) -> Finding:
        """A finding over the character span `[start, end)`."""
        line = doc.line_number(start)
        end_line = max(line, doc.line_number(max(start, end - 1)))
        return self._finding(doc, start, end, line, end_line, message, edit, confidence,
                             excerpt, data)

    def _finding(self, doc: Document, start: int, end: int, line: int, end_line: int,
                 message: str, edit: Edit | None, confidence: float, excerpt: str | None,
                 data: tuple) -> Finding:
        if self.fix == "flag":
            edit = None
        if self.confidence is not None:
            confidence = self.confidence
        return Finding(
            rule=self.code, name=self.name, category=self.category,
            severity=self.severity, line=line, end_line=end_line, start=start,
            end=end, message=message,
            excerpt=excerpt_of(doc.text[start:end] if excerpt is None else excerpt),
            confidence=round(confidence, 3), edit=edit, data=data)

    def remove_lines(self, doc: Document, first: Line, last: Line | None, message: str,
                     *, confidence: float = 1.0, data: tuple = (),
                     requires: tuple[Line, ...] = ()) -> Finding:
        """A finding that removes whole lines `first`..`last`; with `requires`, only
        while one of those lines (the copies these lines repeat) is kept."""
        last = last or first
        start, end = doc.removal_span(first, last)
        found = self._finding(doc, first.start, last.end, first.number, last.number, message,
                              Edit(start, end, ""), confidence, None, data)
        if requires:
            object.__setattr__(found, "requires", tuple((r.start, r.end) for r in requires))
        return found


@dataclass
class Context:
    """What a check may read besides the document: corpus statistics, a memo for
    analyses several rules share on one pass (e.g. the date analysis), and `lasting`,
    a memo that lives through all passes over one document: for caches keyed by
    content (a line's text), never by position, since later passes see edited text.
    `original` is the document as given, for what is judged on the input's shape."""

    corpus: Any = None
    memo: dict = field(default_factory=dict)
    lasting: dict = field(default_factory=dict)
    original: Any = None  # the document as given, before any pass's edits

    def shared(self, key: str, build):
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]


class Check:
    """Base of check kinds. Subclasses set `kind`, `Settings` and `check`."""

    kind: ClassVar[str] = ""
    Settings: ClassVar[type] = type(None)
    # True when a finding depends only on the text of the line it is on (and the
    # header line's being one), and its edit stays within that line or removes it:
    # the engine then skips the rule on a later pass whose lines are all lines it
    # has already seen unchanged.
    line_local: ClassVar[bool] = False
    # True when removing whole lines never makes the rule find anything on a line
    # where it found nothing before (a repeat needs its earlier copy, which a removal
    # cannot create). Line-local rules are; the engine skips both kinds alike.
    removal_stable: ClassVar[bool] = False
    # When the engine runs the check: phase 0 first; a later phase only once the
    # earlier ones have nothing more to remove, on what they left. Page chrome (1) is
    # judged once comment threads and cookie notices are gone, so that they are not
    # taken for the article; repeats (2) once page chrome is gone, so that a copy is
    # counted only where it stays.
    phase: ClassVar[int] = 0

    @classmethod
    def build_settings(cls, params: dict) -> Any:
        fields = {f.name: f for f in dataclasses.fields(cls.Settings)}
        unknown = sorted(set(params) - set(fields))
        if unknown:
            raise SettingsError(f"unknown parameter(s) {', '.join(unknown)} for check "
                                f"'{cls.kind}' (known: {', '.join(sorted(fields)) or 'none'})")
        try:
            return cls.Settings(**params)
        except (TypeError, ValueError) as exc:
            raise SettingsError(str(exc)) from exc

    def prepare(self, settings: list) -> None:
        """Told once, when an engine is built, the settings of all the engine's rules
        of this kind, so that it can build what they share (the `lines` rules' one
        pattern screen). `check` must stay right for settings it was not told of."""

    def check(self, doc: Document, settings: Any, rule: RuleInfo,
              ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError


class ScreenedCheck(Check):
    """A check kind whose rules test patterns on many texts of a document (its lines,
    their folded forms, sentences): one RE2 scan of all those texts for all the
    engine's rules of the kind tells which rules may match any of them, and, for
    those, which units (lines, paragraphs) they may match; a rule judges only those.
    A rule's `settings.screens` gives its screens (`patterns.screen_source`), or None
    to run unscreened, as a user's pack does."""

    screen: Screen | None = None  # one scan for all the engine's screened rules
    slots: ClassVar[dict] = {}  # settings -> its slot in the scan's results
    slot_of: ClassVar[list[int]] = []  # the slot of each of the screen's patterns

    def prepare(self, settings: list) -> None:
        slots: dict = {}
        sources: list[str] = []
        slot_of: list[int] = []
        for s in settings:
            screens = None if s in slots else getattr(s, "screens", None)
            if screens is None:
                continue
            slots[s] = len(slots)
            sources.extend(screens)
            slot_of.extend([slots[s]] * len(screens))
        try:
            screen = Screen(sources) if sources else None
        except Exception:  # RE2 could not build the set: no screen, the exact tests run
            return
        self.screen, self.slots, self.slot_of = screen, slots, slot_of

    def units(self, settings: Any, ctx: Context, texts) -> list[int] | None:
        """The units of this pass that the rule may match, in order: none when no text
        of the pass can match it, None for all (the rule is unscreened). `texts()`
        gives the texts of the pass and the unit of each, built once a pass for all
        the kind's rules; the scan over-selects, never misses."""
        slot = self.slots.get(settings) if self.screen is not None else None
        if slot is None:
            return None
        scan = ctx.shared((self.kind, "scan"), lambda: Scan(self.screen, *texts(), self.slot_of))
        return scan.units(slot) if slot in scan.selected else []


def words_of(text: str) -> list[str]:
    return text.split()


REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator that makes a check kind available to rule packs by its `kind`."""
    REGISTRY[cls.kind] = cls
    return cls
