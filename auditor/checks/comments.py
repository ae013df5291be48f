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
from auditor.document import Document, count_words
from auditor.patterns import Screen, compile_any, screens_of


@dataclass(frozen=True)
class CommentSettings:
    """`stamps` and `furniture` each match a whole line (case is ignored); `signed`
    matches the end of a line whose start, at most `max_signature_name` characters,
    is the commenter's name. The thread needs `min_stamps` stamp lines and
    `min_furniture` furniture lines after the first stamp, a signed line counting as
    both. A line of at most `max_name_words` words without a full stop, right above
    the first stamp, is the first commenter's name and goes with the thread (a
    signed stamp names its own)."""

    stamps: tuple[str, ...] = ()
    furniture: tuple[str, ...] = ()
    signed: tuple[str, ...] = ()
    min_stamps: int = 2
    min_furniture: int = 2
    max_name_words: int = 4
    max_signature_name: int = 100
    confidence: float = 1.0
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
        # anchored at the line end only: a pattern that starts with its own text
        # lets `re` skip ahead, where a name of any length before it could not
        return compile_any(self.signed, re.IGNORECASE | re.MULTILINE, suffix=r"[ \t]*$")

    @cached_property
    def screen(self) -> Screen | None:
        """One RE2 scan of the text for the stamp patterns, signed or not: a text it
        finds none in has no thread, and `re` need not search it (most texts). None
        when a pattern cannot be screened or came from a user's pack (RE2 already)."""
        sources = screens_of([self.stamp_regex, self.signed_regex], one_line=False)
        if sources is None:
            return None
        try:
            return Screen(list(sources))
        except Exception:  # RE2 could not build the set: the exact search runs alone
            return None


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
        if settings.screen is not None and not settings.screen([doc.text]):
            return
        signed = _signed_lines(doc.text, settings)
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


def _signed_lines(text: str, settings: CommentSettings) -> set[int]:
    """The starts of the lines that end with a signed stamp after a name."""
    if settings.signed_regex is None:
        return set()
    found = set()
    for m in settings.signed_regex.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        name = text[start:m.start()].strip()
        if name and m.start() - start <= settings.max_signature_name:
            found.add(start)
    return found


def _is_name(text: str, max_words: int) -> bool:
    """A commenter's name: a few words, no sentence punctuation."""
    return 0 < count_words(text) <= max_words and not text.endswith((".", "!", "?", ":"))
