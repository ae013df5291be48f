"""What a check reports: a `Finding`, optionally carrying an `Edit` that fixes it.

Edits are data on the original text: the engine applies them, the report records
them, and the cleaned text follows from the original plus its edits.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

SEVERITIES = ("info", "warning", "error")
APPLICABILITIES = ("safe", "unsafe", "display-only")


@dataclass(frozen=True)
class Edit:
    """Replace the half-open span `[start, end)` of the original text."""

    start: int
    end: int
    replacement: str = ""
    applicability: str = "safe"

    @property
    def is_removal(self) -> bool:
        return self.replacement == "" and self.end > self.start


@dataclass(frozen=True)
class Finding:
    """One problem found in one document.

    `line`/`end_line` are 1-based and inclusive; `start`/`end` are character
    offsets. `action` is set by the engine: `removed`, `fixed` or `flagged`.
    """

    rule: str
    name: str
    category: str
    severity: str
    line: int
    end_line: int
    start: int
    end: int
    message: str
    excerpt: str = ""
    confidence: float = 1.0
    edit: Edit | None = None
    action: str = "flagged"
    data: tuple = ()
    # spans of the text the fix depends on: the copies a repeat repeats. The engine
    # applies the fix only while one of them survives the other removals, so of two
    # copies one always stays.
    requires: tuple[tuple[int, int], ...] | None = None

    def with_action(self, action: str) -> "Finding":
        return replace(self, action=action)


def excerpt_of(text: str, limit: int = 120) -> str:
    """A one-line excerpt for the report, shortened in the middle of nothing."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


# the order in which a problem's hits are preferred as its row: the action clean took
ACTION_RANK = {"removed": 0, "fixed": 1, "flagged": 2}


def problems(findings: list[Finding]) -> list[tuple[Finding, list[Finding]]]:
    """The hits of one document grouped into problems: (lead hit, the others).

    Hits of one category on the same lines are one problem. Several rules often find
    one caption or navigation line, each by its own sign of the same kind (a credit,
    a lead phrase, a position mark); a reader counts one caption there, not three.
    The lead is the hit whose action went furthest (removed, then fixed, then
    flagged), the first in report order among equals: the rule that decided what
    happened to those lines.
    """
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.category, f.line, f.end_line), []).append(f)
    out = []
    for hits in groups.values():
        lead = min(hits, key=lambda f: ACTION_RANK.get(f.action, len(ACTION_RANK)))
        out.append((lead, [f for f in hits if f is not lead]))
    return out
