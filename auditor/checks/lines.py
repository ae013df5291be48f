"""Whole lines that are interface text rather than article: matched by phrase or pattern.

A line matches when, after folding case and trimming punctuation and bullets,
it *is* one of the phrases, or starts with one of the prefixes and is short, or
matches one of the patterns in full, or (being short) contains a match of one
of the `contains` patterns; and it contains no match of the `unless` patterns,
which carve out what a neighbouring rule takes instead. Every phrase list of a rule compiles into
one pattern when the pack loads, so a document costs one match per line.

Some extractors (justext) put a whole article on one line, so the labels a page
sets between paragraphs ("Advertisement", "Story continues below") end up between
its sentences. With `scope = "inline"` a rule's phrases are found there instead:
written with a capital, after a sentence end (or at the start of the line) and
before the capital that starts the next sentence (or the end of the line). The
phrase alone is cut out with a fix edit; the line stays. With `sentences = "all"`
a line too long to be judged whole has each of its sentences judged like a line,
so a credit or a promotion that an extractor ran into the last paragraph goes
and the paragraph stays. With `sentences = "last"` only its last sentence is: a
link headline ("READ MORE: Plague confirmed in Beijing") has no full stop, so
where a sentence follows it cannot be told apart; at the end of a line it can.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from auditor.checks.base import Context, RuleInfo, ScreenedCheck, register
from auditor.document import Document, count_words
from auditor.findings import Edit
from auditor.patterns import (compile_any, compile_pattern, longest_first, required_literals,
                               screens_of)

EDGE_CHARS = " \t\u00a0•·|>»«-–—*:#▶►→…"
# what stands between the labels of a menu or share bar written on one line
RUN_SEPARATOR = r"(?:\s*[|·•/,»›>–-]\s*|\s+)"
SCOPES = ("line", "inline")
SENTENCE_MODES = ("", "all", "last")
# Between two sentences: an end mark (maybe closed by a quote or bracket), space,
# and the capital, digit or opening quote that starts the next one. The break is
# group 1, after the end mark: a pattern that opens on the mark, rather than looking
# behind for it, lets the search skip from one end mark to the next.
SENTENCE_BREAK_RE = re.compile(r"[.!?…]([\"”’)\]]*\s+)(?=[\"“‘(]?[A-Z0-9])")


def fold(text: str) -> str:
    """Case-folded text with bullets, arrows and trailing punctuation trimmed."""
    return " ".join(text.strip(EDGE_CHARS).rstrip(".!?").casefold().split())


def folds_of(ctx: Context) -> dict[str, str]:
    """`fold` of each line text a rule has folded, kept across a document's passes
    and shared by every rule that folds lines (the `lines` rules, the appended-story
    check): a text is folded once per document."""
    return ctx.lasting.setdefault("lines:folds", {})


def fold_prefix(text: str) -> str:
    """A prefix folded like a line, but keeping its closing colon or dash:
    'Related:' must not match 'Related to this, ...'."""
    return " ".join(text.lstrip(EDGE_CHARS).casefold().split())


def alternation(items: tuple[str, ...], folder=fold) -> str:
    folded = {folder(p) for p in items} - {""}
    return "|".join(re.escape(p) for p in sorted(folded, key=longest_first))


@dataclass(frozen=True)
class LineSettings:
    phrases: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    runs: bool = False  # a line that is a run of phrases ("Home | News | Sport") matches too
    max_words: int = 12
    scope: str = "line"
    sentences: str = ""
    confidence: float = 1.0
    message: str = "interface text, not article"

    def __post_init__(self):
        for name in ("phrases", "prefixes", "patterns", "contains", "unless"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
        if self.sentences not in SENTENCE_MODES:
            raise ValueError("sentences must be 'all', 'last' or left out")
        if self.scope == "inline":
            if not self.phrases or self.prefixes or self.patterns or self.contains:
                raise ValueError("scope = 'inline' takes phrases only")
            _ = self.between
            return
        if not (self.phrases or self.prefixes or self.patterns or self.contains):
            raise ValueError("give at least one of phrases, prefixes, patterns, contains")
        for p in self.patterns + self.contains + self.unless:
            compile_pattern(p)
        _ = self.matcher, self.finder, self.exempt, self.needs

    @cached_property
    def matcher(self) -> re.Pattern | None:
        """One pattern: the line *is* a phrase, starts with a prefix, or matches a
        pattern in full (a failing line costs one first-character test); None for a
        rule of `contains` alone."""
        parts = []
        if self.phrases:
            phrase = f"(?:{alternation(self.phrases)})"
            parts.append(f"{phrase}(?:{RUN_SEPARATOR}{phrase})*" if self.runs else phrase)
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
            return None
        return compile_pattern("(?:" + "|".join(parts) + ")", re.S)

    @cached_property
    def screens(self) -> tuple[str, ...] | None:
        """RE2 screens of the rule's tests (`patterns.screen_source`): the full-match
        pattern anchored at both ends, the `contains` pattern searched (an inline
        rule: its phrases between sentences, searched). A line that none of them
        selects, in its text or its folded form, cannot match.
        None when a pattern cannot be screened, or came from a user's pack (compiled
        with RE2, whose syntax Python's parser may read otherwise)."""
        if self.scope == "inline":
            return screens_of([self.between])
        return screens_of([self.matcher, self.finder], whole=(True, False))

    @cached_property
    def needs(self) -> frozenset[str] | None:
        """Strings one of which every match of `contains` holds (see
        `required_literals`): a document holding none is not searched for it, when
        the rule is not screened."""
        if not self.contains:
            return None
        return required_literals("|".join(f"(?:{p})" for p in self.contains), re.S)

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
        return compile_any(patterns, re.S)

    @cached_property
    def between(self) -> re.Pattern:
        """One pattern for `scope = "inline"`: a run of phrases, each written with a
        capital, between a sentence end (or the line start) and a capital, digit or
        opening quote (or the line end). Lookarounds keep a phrase that opens or
        carries on a sentence ("Read more about it.") out of reach. Built from escaped
        phrases only, so Python's `re` is safe."""
        alt = "|".join(re.escape(p) for p in sorted({" ".join(p.split()) for p in self.phrases},
                                                    key=longest_first))
        phrase = rf"(?=[A-Z])(?i:{alt})"
        return re.compile(rf"(?:(?<=[.!?\"”’)\]])|^)[ \t]*{phrase}(?:[ \t]+{phrase})*"
                          rf"(?=[ \t]+[\"“‘(]?[A-Z0-9]|[ \t]*$)", re.M)


LONG = 1 << 30  # the word count given to lines too long to be judged whole


def _measured(doc: Document, folds: dict[str, str]) -> list[tuple]:
    """Each body line with its stripped text, word count and folded form, computed
    once per pass for all the `lines` rules (a line over 400 characters counts
    as too long for any of them, and is not folded); `folds` keeps folded texts."""
    out = []
    for line in doc.body_lines:
        text = line.stripped
        if len(text) > 400:
            out.append((line, text, LONG, None))
            continue
        folded = folds.get(text)
        if folded is None:
            folded = folds[text] = fold(text)
        out.append((line, text, count_words(text), folded))
    return out


def _sentence_spans(text: str) -> list[tuple[int, int, str, int]]:
    """(start, end, text, words) of each sentence of a long line, split once for
    all the rules that judge sentences (a sentence over 400 characters gets the
    word count of a line too long to be judged)."""
    cuts = [0]
    for m in SENTENCE_BREAK_RE.finditer(text):
        cuts.extend(m.span(1))
    cuts.append(len(text))
    out = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        sentence = text[start:end]
        out.append((start, end, sentence,
                    LONG if len(sentence) > 400 else count_words(sentence)))
    return out


def _sentences_of(text: str, spans: dict) -> list[tuple[int, int, str, int]]:
    """`_sentence_spans` of a long line, kept in `spans` across passes."""
    sentences = spans.get(text)
    if sentences is None:
        sentences = spans[text] = _sentence_spans(text)
    return sentences


@register
class LineCheck(ScreenedCheck):
    """Removes a whole line that is only interface text (navigation, share bars, metadata)."""

    kind = "lines"
    line_local = True
    Settings = LineSettings
    # what the screened rules judge: lines of at most `line_words` words whole, the
    # sentences of at most `sentence_max` words of lines over `sentence_words` words,
    # and (with `inline`) every line as it is
    line_words: int = LONG
    sentence_words: int = LONG
    sentence_max: int = LONG
    inline: bool = True

    def prepare(self, settings: list) -> None:
        """One RE2 screen for all the rules (see `ScreenedCheck`): a pass scans the
        texts the rules judge once, in their texts and folded forms."""
        super().prepare(settings)
        whole = [s.max_words for s in self.slots if s.scope != "inline"]
        words = [s.max_words for s in self.slots if s.sentences]
        self.line_words = max(whole, default=0)
        self.sentence_words = min(words) if words else LONG
        self.sentence_max = max(words, default=0)
        self.inline = any(s.scope == "inline" for s in self.slots)

    def _texts(self, measured: list[tuple], ctx: Context) -> tuple[list[str], list[int]]:
        """Every text a screened rule judges on this pass, and the line (its index in
        `measured`) of each: each line short enough to be judged whole, stripped and
        folded; each line as it is, for the inline rules; and the sentences short
        enough to be judged of the lines long enough to be judged by sentences, with
        their folded forms. A text no rule judges is left out: it could only make
        the scan select a rule for nothing."""
        folds = folds_of(ctx)
        spans = ctx.lasting.setdefault("lines:sentences", {})
        line_words, sentence_max, inline = self.line_words, self.sentence_max, self.inline
        texts: list[str] = []
        owners: list[int] = []
        for i, (line, text, words, folded) in enumerate(measured):
            size = len(texts)
            if words <= line_words:
                texts.append(text)
                if folded is not None:
                    texts.append(folded)
                if inline and line[3] != text:
                    texts.append(line[3])
            elif inline:
                texts.append(line[3])
            if words > self.sentence_words:
                sentences = _sentences_of(line[3], spans)
                if len(sentences) > 1:
                    for sentence in sentences:
                        if sentence[3] > sentence_max:
                            continue
                        piece = sentence[2]
                        folded_piece = folds.get(piece)
                        if folded_piece is None:
                            folded_piece = folds[piece] = fold(piece)
                        texts.extend((piece, folded_piece))
            owners.extend([i] * (len(texts) - size))
        return texts, owners

    def check(self, doc: Document, settings: LineSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        folds = folds_of(ctx)
        measured = ctx.shared("lines:lines", lambda: _measured(doc, folds))
        picked = self.units(settings, ctx, lambda: self._texts(measured, ctx))
        if picked is not None:  # the lines the scan picks for the rule: it finds nothing elsewhere
            if not picked:
                return
            measured = [measured[i] for i in picked]
        if settings.scope == "inline":
            yield from self._inline(doc, [m[0] for m in measured], settings, rule, ctx)
            return
        match = settings.matcher.fullmatch if settings.matcher is not None else None
        find = settings.finder.search if settings.finder is not None else None
        if find is not None and picked is None and settings.needs is not None:
            # an unscreened rule (a user's pack): a document holding none of the strings
            # `needs` is not searched. A screened rule needs no such test: its scan has
            # picked only lines where the pattern may match, and the test, reading the
            # whole document for each string, costs more than it spares.
            screen = ctx.shared("lines:screen", lambda: " ".join(doc.text.casefold().split()))
            if not any(s in screen for s in settings.needs):
                find = None  # every text a unit folds to is part of `screen`
        exempt = settings.exempt.search if settings.exempt is not None else None
        # what depends on a text alone is kept across passes (folds and sentences for
        # every rule, verdicts for this one): a later pass judges only new texts
        spans = ctx.lasting.setdefault("lines:sentences", {})  # long line -> its sentences
        verdicts = ctx.lasting.setdefault(("lines", rule.code), {})  # text -> verdict

        def hit(text: str, folded: str | None = None) -> bool:
            verdict = verdicts.get(text)
            if verdict is None:
                if folded is None:
                    folded = folds.get(text)
                    if folded is None:
                        folded = folds[text] = fold(text)
                verdict = verdicts[text] = bool(
                    ((match is not None and (match(folded) or match(text)))
                     or (find is not None and find(folded)))
                    and not (exempt is not None and exempt(folded)))
            return verdict

        for line, text, words, folded in measured:
            if words <= settings.max_words:
                if hit(text, folded):
                    yield rule.remove_lines(doc, line, None, settings.message,
                                            confidence=settings.confidence)
            elif settings.sentences:
                yield from self._sentences(doc, line, _sentences_of(line[3], spans),
                                           settings, rule, hit)

    @staticmethod
    def _sentences(doc: Document, line, spans: list[tuple], settings: LineSettings,
                   rule: RuleInfo, hit) -> Iterator:
        """Removes the sentences of a long line that the rule takes, with the space
        that joined each to its neighbour; the rest of the line stays."""
        if len(spans) < 2:
            return
        first = len(spans) - 1 if settings.sentences == "last" else 0
        taken = [k for k in range(first, len(spans))
                 if spans[k][3] <= settings.max_words and hit(spans[k][2])]
        # one cut per run of taken sentences, with the space that joined the run to
        # the sentence after it, or before it when the run ends the line
        runs: list[list[int]] = []
        for k in taken:
            if runs and runs[-1][-1] == k - 1:
                runs[-1].append(k)
            else:
                runs.append([k])
        for run in runs:
            a, b = run[0], run[-1]
            start, end = spans[a][0], spans[b][1]
            cut_start, cut_end = ((start, spans[b + 1][0]) if b + 1 < len(spans)
                                  else (spans[a - 1][1] if a else start, end))
            yield rule.finding(doc, line.start + start, line.start + end, settings.message,
                               edit=Edit(line.start + cut_start, line.start + cut_end, ""),
                               confidence=settings.confidence)

    @staticmethod
    def _inline(doc: Document, lines: list, settings: LineSettings, rule: RuleInfo,
                ctx: Context) -> Iterator:
        """Cuts interface phrases out from between the sentences of `lines`; a line
        that is nothing but such phrases is left to the whole-line rules. The cuts
        depend on the line's text alone and are kept across passes."""
        cuts = ctx.lasting.setdefault(("lines", rule.code), {})
        for line in lines:
            text = line.text
            spans = cuts.get(text)
            if spans is None:
                spans = cuts[text] = _inline_spans(text, settings.between.search)
            for start, end in spans:
                yield rule.finding(doc, line.start + start, line.start + end, settings.message,
                                   edit=Edit(line.start + start, line.start + end, ""),
                                   confidence=settings.confidence)


def _inline_spans(text: str, search) -> list[tuple[int, int]]:
    """The spans of `text` that `_inline` cuts."""
    out = []
    pos = 0
    while (m := search(text, pos)) is not None:
        start, end = m.start(), m.end()
        pos = end
        if not text[:start].strip() and not text[end:].strip():
            break
        if not text[:start].strip():  # at the line start: take the space after it
            end += len(text[end:]) - len(text[end:].lstrip(" \t"))
        out.append((start, end))
    return out
