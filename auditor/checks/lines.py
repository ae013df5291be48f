"""Whole lines that are interface text rather than article: matched by phrase or pattern.

A line matches when, after folding case and trimming punctuation and bullets,
it *is* one of the phrases, or starts with one of the prefixes and is short, or
matches one of the patterns in full. Every phrase list of a rule compiles into
one pattern when the pack loads, so a document costs one match per line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.document import Document

EDGE_CHARS = " \t\u00a0•·|>»«-–—*:#▶►→…"


def fold(text: str) -> str:
    """Case-folded text with bullets, arrows and trailing punctuation trimmed."""
    return " ".join(text.strip(EDGE_CHARS).rstrip(".!?").casefold().split())


def alternation(items: tuple[str, ...]) -> str:
    return "|".join(re.escape(fold(p)) for p in sorted(set(items), key=len, reverse=True) if fold(p))


@dataclass(frozen=True)
class LineSettings:
    phrases: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    max_words: int = 12
    confidence: float = 0.9
    message: str = "interface text, not article"

    def __post_init__(self):
        for name in ("phrases", "prefixes", "patterns"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not (self.phrases or self.prefixes or self.patterns):
            raise ValueError("give at least one of phrases, prefixes, patterns")
        for p in self.patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} does not compile: {exc}") from exc
        _ = self.matcher

    @cached_property
    def matcher(self) -> re.Pattern:
        parts = []
        if self.phrases:
            parts.append(f"(?:{alternation(self.phrases)})")
        if self.prefixes:
            parts.append(f"(?:{alternation(self.prefixes)})\\b.*")
        if self.patterns:
            parts.append("|".join(f"(?:{p})" for p in self.patterns))
        return re.compile("(?:" + "|".join(parts) + ")", re.S)


@register
class LineCheck(Check):
    """Removes a whole line that is only interface text (navigation, share bars, metadata)."""

    kind = "lines"
    Settings = LineSettings

    def check(self, doc: Document, settings: LineSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        match = settings.matcher.fullmatch
        for line in doc.body_lines:
            text = line.stripped
            if len(text) > 300 or len(text.split()) > settings.max_words:
                continue
            if match(fold(text)) or match(text):
                yield rule.remove_lines(doc, line, None, settings.message,
                                        confidence=settings.confidence)
