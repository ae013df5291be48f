"""Whole lines that are interface text rather than article: matched by phrase or pattern.

A line matches when, after folding case and trimming punctuation and bullets,
it *is* one of the phrases, or starts with one of the prefixes and is short, or
matches one of the patterns in full, or (being short) contains a match of one
of the `contains` patterns; and it contains no match of the `unless` patterns,
which carve out what a neighbouring rule takes instead. Every phrase list of a rule compiles into
one pattern when the pack loads, so a document costs one match per line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.document import Document
from auditor.patterns import compile_pattern

EDGE_CHARS = " \t\u00a0•·|>»«-–—*:#▶►→…"


def fold(text: str) -> str:
    """Case-folded text with bullets, arrows and trailing punctuation trimmed."""
    return " ".join(text.strip(EDGE_CHARS).rstrip(".!?").casefold().split())


def fold_prefix(text: str) -> str:
    """A prefix folded like a line, but keeping its closing colon or dash:
    'Related:' must not match 'Related to this, ...'."""
    return " ".join(text.lstrip(EDGE_CHARS).casefold().split())


def alternation(items: tuple[str, ...], folder=fold) -> str:
    folded = {folder(p) for p in items} - {""}
    return "|".join(re.escape(p) for p in sorted(folded, key=len, reverse=True))


@dataclass(frozen=True)
class LineSettings:
    phrases: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    max_words: int = 12
    confidence: float = 0.9
    message: str = "interface text, not article"

    def __post_init__(self):
        for name in ("phrases", "prefixes", "patterns", "contains", "unless"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not (self.phrases or self.prefixes or self.patterns or self.contains):
            raise ValueError("give at least one of phrases, prefixes, patterns, contains")
        for p in self.patterns + self.contains + self.unless:
            compile_pattern(p)
        _ = self.matcher
        _ = self.finder
        _ = self.exempt

    @cached_property
    def finder(self):
        """One pattern for `contains`: searched anywhere in the folded line."""
        return self._any(self.contains)

    @cached_property
    def exempt(self):
        """One pattern for `unless`: searched anywhere in the folded line."""
        return self._any(self.unless)

    @staticmethod
    def _any(patterns: tuple[str, ...]):
        if not patterns:
            return None
        return compile_pattern("|".join(f"(?:{p})" for p in patterns), re.S)

    @cached_property
    def matcher(self) -> re.Pattern:
        parts = []
        if self.phrases:
            parts.append(f"(?:{alternation(self.phrases)})")
        if self.prefixes:
            # a prefix ending in a letter must end a word; one ending in ':' or '-' is whole
            folded = [fold_prefix(p) for p in self.prefixes]
            words = tuple(p for p in folded if p and (p[-1].isalnum() or p[-1] == "_"))
            marks = tuple(p for p in folded if p and p not in words)
            if words:
                parts.append(f"(?:{alternation(words, str)})\\b.*")
            if marks:
                parts.append(f"(?:{alternation(marks, str)}).*")
        if self.patterns:
            parts.append("|".join(f"(?:{p})" for p in self.patterns))
        if not parts:
            parts.append(r"[^\s\S]")
        return compile_pattern("(?:" + "|".join(parts) + ")", re.S)


@register
class LineCheck(Check):
    """Removes a whole line that is only interface text (navigation, share bars, metadata)."""

    kind = "lines"
    Settings = LineSettings

    def check(self, doc: Document, settings: LineSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        match = settings.matcher.fullmatch
        find = settings.finder.search if settings.finder is not None else None
        exempt = settings.exempt.search if settings.exempt is not None else None
        for line in doc.body_lines:
            text = line.stripped
            if len(text) > 400 or len(text.split()) > settings.max_words:
                continue
            folded = fold(text)
            if ((match(folded) or match(text) or (find is not None and find(folded)))
                    and not (exempt is not None and exempt(folded))):
                yield rule.remove_lines(doc, line, None, settings.message,
                                        confidence=settings.confidence)
