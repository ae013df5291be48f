"""Text the page shows twice: repeated lines, truncated teasers of a later paragraph,
and bylines that name the same author twice.

Lines are compared after folding case, whitespace, bullets and trailing
ellipses, so a teaser "Russian forces have driven the…" matches the paragraph it
was cut from.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.document import Document, Line, count_words
from auditor.findings import Edit

BULLETS = " \t\u00a0•·*-–—>»▪◦‣"
ELLIPSIS = re.compile(r"(\s*(\.\.\.|…))+$")


def norm(text: str) -> str:
    text = text.strip().lstrip(BULLETS)
    if text.endswith(("...", "…")):
        text = ELLIPSIS.sub("", text)
    return " ".join(text.casefold().split())


def normed_lines(doc: Document, ctx: Context) -> list[tuple[Line, str, list[str]]]:
    """Each body line with its `norm` and that split into words, worked out once per
    pass for the rules that compare lines (and once per text across passes)."""
    return ctx.shared("duplicates:norms", lambda: _normed(doc, ctx.lasting.setdefault(
        "duplicates:norms", {})))


def _normed(doc: Document, known: dict) -> list[tuple[Line, str, list[str]]]:
    out = []
    for line in doc.body_lines:
        normed = known.get(line.text)
        if normed is None:
            key = norm(line.text)
            normed = known[line.text] = (key, key.split())
        out.append((line, *normed))
    return out


@dataclass(frozen=True)
class RepeatSettings:
    """`max_copies`: a line written more often than this is the article's own
    structure (the same label under every item of a list, a table's head, a refrain),
    not a copy an extractor doubled."""

    min_words: int = 4
    max_copies: int = 2
    confidence: float = 1.0
    message: str = "repeats line {first}"


@register
class RepeatedLineCheck(Check):
    """Removes a line that repeats an earlier line word for word."""

    kind = "repeated-line"
    removal_stable = True
    phase = 2  # a repeat is judged on what the other rules leave
    Settings = RepeatSettings

    def check(self, doc: Document, settings: RepeatSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        lines = normed_lines(doc, ctx)
        times = Counter(key for _, key, words in lines if len(words) >= settings.min_words)
        seen: dict[str, Line] = {}
        for line, key, words in lines:
            if len(words) < settings.min_words or times[key] > settings.max_copies:
                continue  # a label the article repeats on purpose: list items, table heads
            if key in seen:
                yield rule.remove_lines(doc, line, None,
                                        settings.message.format(first=seen[key].number),
                                        confidence=settings.confidence, requires=(seen[key],))
            else:
                seen[key] = line


@dataclass(frozen=True)
class TeaserSettings:
    min_words: int = 6
    key_words: int = 5
    confidence: float = 1.0
    message: str = "truncated copy of line {other}"


@register
class TeaserCheck(Check):
    """Removes a line that is a cut-off beginning of another, longer line."""

    kind = "teaser-prefix"
    removal_stable = True
    phase = 2
    Settings = TeaserSettings

    def check(self, doc: Document, settings: TeaserSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        by_key: dict[tuple[str, ...], list[tuple[Line, str]]] = {}
        for line, text, words in normed_lines(doc, ctx):
            key = tuple(words[: settings.key_words])
            if len(key) == settings.key_words:
                by_key.setdefault(key, []).append((line, text))
        for group in by_key.values():
            if len(group) < 2:
                continue
            # in sorted order, the lines that start with a text come right after it
            texts = sorted({t for _, t in group})
            longer: dict[str, list[str]] = {}
            for i, a in enumerate(texts):
                for b in texts[i + 1:]:
                    if not b.startswith(a):
                        break
                    longer.setdefault(a, []).append(b)
            if not longer:
                continue
            where = {t: line for line, t in reversed(group)}
            for line, text in group:
                if text in longer and count_words(text) >= settings.min_words:
                    others = [where[t] for t in longer[text]]
                    yield rule.remove_lines(doc, line, None,
                                            settings.message.format(other=others[0].number),
                                            confidence=settings.confidence,
                                            requires=tuple(others))


@dataclass(frozen=True)
class BylineSettings:
    max_words: int = 10
    message: str = "byline names the same author twice"


@register
class DoubledBylineCheck(Check):
    """Collapses 'The Associated Press, Associated Press' to one name."""

    kind = "doubled-byline"
    Settings = BylineSettings

    def check(self, doc: Document, settings: BylineSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        for line in doc.body_lines:
            text = line.stripped
            if "," not in text or count_words(text) > settings.max_words or text.endswith("."):
                continue
            parts = [p.strip() for p in text.split(",")]
            if len(parts) < 2 or not all(parts):
                continue
            names = [_author(p) for p in parts]
            if all(n and n == names[0] for n in names) and _looks_like_name(parts[0]):
                offset = line.text.index(text)
                edit = Edit(line.start + offset, line.start + offset + len(text), parts[0])
                yield rule.finding(doc, line.start, line.end, settings.message, edit=edit)


def _author(part: str) -> str:
    words = part.casefold().split()
    if words and words[0] in ("the", "by"):
        words = words[1:]
    return " ".join(words)


def _looks_like_name(part: str) -> bool:
    words = part.split()
    return 1 <= len(words) <= 5 and all(w[:1].isupper() or w.lower() in ("by", "the", "and", "of")
                                        for w in words)
