"""Comment sections: the readers' thread an extractor kept after (or instead of) the article.

A thread is told by its furniture, not by what the readers wrote: every comment
opens with a time stamp ("2 days ago at 07:52 am", "vor 3 Stunden",
"November 19, 2019 at 4:33 pm"), often under the commenter's name, and carries
buttons and counters ("Reply", "Rating: 36 Votes"). A live blog has stamps too,
so stamps alone are not enough: the thread must also show comment furniture. A
signed stamp ("Alex on September 17, 2018 at 6:34 am said:", the form many blog
engines print, often with no buttons once comments are closed) is both: a stamp,
and a commenter's signature that no live blog writes.
Comments come last on a page, so the check removes from the first comment to the
end of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.document import Document
from auditor.patterns import compile_any


@dataclass(frozen=True)
class CommentSettings:
    """`stamps`, `furniture` and `signed` each match a whole line (case is ignored);
    the thread needs `min_stamps` stamp lines and `min_furniture` furniture lines
    after the first stamp, a `signed` line counting as both. A line of at most
    `max_name_words` words without a full stop, right above the first stamp, is the
    first commenter's name and goes with the thread (a signed stamp names its own)."""

    stamps: tuple[str, ...] = ()
    furniture: tuple[str, ...] = ()
    signed: tuple[str, ...] = ()
    min_stamps: int = 2
    min_furniture: int = 2
    max_name_words: int = 4
    confidence: float = 0.8
    message: str = "readers' comments after the article"

    def __post_init__(self):
        for name in ("stamps", "furniture", "signed"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for name in ("stamps", "furniture"):
            if not getattr(self, name):
                raise ValueError(f"give at least one pattern in {name}")
        if self.min_stamps < 1 or self.min_furniture < 0:
            raise ValueError("min_stamps must be >= 1 and min_furniture >= 0")
        _ = self.stamp_regex, self.furniture_regex, self.signed_regex

    @cached_property
    def stamp_regex(self):
        return _whole_lines(self.stamps)

    @cached_property
    def furniture_regex(self):
        return _whole_lines(self.furniture)

    @cached_property
    def signed_regex(self):
        return _whole_lines(self.signed) if self.signed else None


def _whole_lines(patterns: tuple[str, ...]):
    return compile_any(patterns, re.IGNORECASE, prefix=r"(?m)^[ \t]*", suffix=r"[ \t]*$")


@register
class CommentThreadCheck(Check):
    """Removes a comment thread, from its first comment to the end of the text."""

    kind = "comment-thread"
    Settings = CommentSettings

    def check(self, doc: Document, settings: CommentSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        # one search over the whole text first: most documents have no thread at all
        signed = (set(m.start() for m in settings.signed_regex.finditer(doc.text))
                  if settings.signed_regex is not None else set())
        stamps = sorted(signed.union(m.start() for m in settings.stamp_regex.finditer(doc.text)))
        if len(stamps) < settings.min_stamps:
            return
        furniture = signed.union(m.start() for m in settings.furniture_regex.finditer(doc.text))
        if sum(f > stamps[0] for f in furniture) < settings.min_furniture:
            return
        lines = doc.body_lines
        first = next((i for i, line in enumerate(lines) if line.start >= stamps[0]), None)
        if first is None:
            return
        if (first and stamps[0] not in signed
                and _is_name(lines[first - 1].stripped, settings.max_name_words)):
            first -= 1
        yield rule.remove_lines(doc, lines[first], lines[-1], settings.message,
                                confidence=settings.confidence)


def _is_name(text: str, max_words: int) -> bool:
    """A commenter's name: a few words, no sentence punctuation."""
    return 0 < len(text.split()) <= max_words and not text.endswith((".", "!", "?", ":"))
