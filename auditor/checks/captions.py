"""Photo captions and credits that extractors leave inside the article text.

A caption is told by its credit ("(AP Photo, File)", "Russian Pool/Reuters",
"Image: GETTY", "Credit: ESA", "© Reuters") or by the phrases captions open
with ("In this image made from video…", "FILE -", "This grab taken from…",
"Image caption"). Every list of a rule compiles into one pattern when the
pack loads; a line costs one search per pattern.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from auditor.checks.base import Context, RuleInfo, ScreenedCheck, register
from auditor.checks.boilerplate import text_units
from auditor.document import Document, count_words
from auditor.patterns import compile_pattern, longest_first, screens_of

# Sentence end followed by more text: a real paragraph usually has several.
MAX_CHARS = 1000  # a caption is shorter
_SENTENCES_RE = re.compile(r"[.!?][\"”’]?\s+[\"“‘]?[A-Z]")
# Where a credit can begin: at the start of the line or after a sentence (after a
# closing parenthesis too, for a label), or at a parenthesis. Every branch of the
# credit pattern opens with one of these, so it need only be tried where they hold.
AFTER_SENTENCE = r"(?:^|(?<=[.!?]\s)|(?<=[.!?]))"
AFTER_SENTENCE_OR_PAREN = r"(?:^|(?<=[.!?)]\s)|(?<=[.!?]))"
CREDIT_STARTS = re.compile(rf"\(|{AFTER_SENTENCE}|{AFTER_SENTENCE_OR_PAREN}")


def _alt(items) -> str:
    return "|".join(re.escape(i) for i in sorted(set(items), key=longest_first) if i)


@dataclass(frozen=True)
class CaptionSettings:
    """What makes a line a caption.

    - `agencies`: names that credit a picture (matched as whole words, any case
      for long names; the short capitalised ones like AP or EPA in their case).
    - `credit_words`: words that introduce a credit ("Photo", "Image", "Credit").
    - `leads`: phrases a caption opens with ("In this image", "FILE -").
    - `lead_patterns`: regular expressions for openings a phrase cannot say.
    - `match`: "credit" finds lines ending in (or made of) a credit; "lead" finds
      lines that open like a caption; "shape" finds lines in which one of
      `lead_patterns` occurs anywhere (e.g. ", left," naming who is where).
    """

    match: str = "credit"
    agencies: tuple[str, ...] = ()
    credit_words: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    lead_patterns: tuple[str, ...] = ()
    max_words: int = 80
    max_sentences: int = 3
    confidence: float = 1.0
    message: str = "photo caption or credit"

    def __post_init__(self):
        for name in ("agencies", "credit_words", "leads", "lead_patterns"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.match not in ("credit", "lead", "shape"):
            raise ValueError("match must be 'credit', 'lead' or 'shape'")
        if self.match == "credit" and not (self.agencies and self.credit_words):
            raise ValueError("match = 'credit' needs agencies and credit_words")
        if self.match in ("lead", "shape") and not (self.leads or self.lead_patterns):
            raise ValueError(f"match = '{self.match}' needs leads or lead_patterns")
        for p in self.lead_patterns:
            compile_pattern(p)
        _ = self.pattern

    @cached_property
    def screens(self) -> tuple[str, ...] | None:
        """The RE2 screen of `pattern` (see `ScreenedCheck`): a unit it does not
        select holds no caption; None for a user's pattern, compiled with RE2."""
        return screens_of([self.pattern])

    @cached_property
    def pattern(self) -> re.Pattern:
        if self.match == "shape":
            parts = [rf"(?i:{_alt(self.leads)})"] if self.leads else []
            parts.extend(f"(?:{p})" for p in self.lead_patterns)
            return compile_pattern("|".join(parts))
        if self.match == "lead":
            parts = []
            if self.leads:
                parts.append(rf"(?i:{_alt(self.leads)})")
            parts.extend(f"(?:{p})" for p in self.lead_patterns)
            return compile_pattern(r"^[\s\W]{0,3}(?:" + "|".join(parts) + ")")
        short = [a for a in self.agencies if len(a) <= 4 and a.isupper()]
        long = [a for a in self.agencies if a not in short]
        # Short names (AP, EPA, AFP) are common words or other bodies' acronyms on
        # their own ("the agency (EPA)"), so they credit only beside a slash, "via"
        # or "Photo": "(AP Photo/Alan Diaz)", "(via AP)", "(EPA/Jane Roe)".
        short_alt = _alt(short)
        paired = (rf"(?:(?:/|\bvia|\b[Pp]hoto:?)\s?(?:{short_alt})\b"
                  rf"|\b(?:{short_alt})\s?(?:/|[Pp]hotos?\b|Images\b|-EFE\b|,\s?[Ff]ile\b))")
        agency = rf"(?:{paired}|(?i:\b(?:{_alt(long)})\b))"
        labels = [w for c in self.credit_words for w in (c.capitalize(), c.upper())]
        word_any = rf"(?i:\b(?:{_alt(self.credit_words)})s?\b)"
        word_cap = rf"\b(?:{_alt(labels)})[sS]?\b"
        # 1. a parenthesis at the end naming an agency or a credit word:
        #    "(AP Photo/Alan Diaz, File)", "(Image: GETTY )", "(Russian Defence Ministry / AFP)"
        paren = rf"\((?=[^()\n]{{0,100}}(?:{agency}|{word_any}))[^()\n]{{1,100}}\)"
        # 2. a trailing "Name/Outlet" or "Pool/Reuters" with no full stop after it
        slash = (rf"{AFTER_SENTENCE}(?:[A-Z][\w.'’-]*\s?){{1,4}}/\s?"
                 rf"(?:[A-Z][\w.&'’-]*\s?){{1,5}}$")
        # 3. "Credit: ESA", "Photo: David Zalubowski / Associated Press", "© Reuters / X",
        #    at the start of the line or after a sentence
        labelled = (rf"{AFTER_SENTENCE_OR_PAREN}(?:(?:{word_cap}\s)?{word_cap}\s?(?:[:|…]|\.\.\.)|©|\(c\)\s)"
                    rf"[^.!?\n]{{1,90}}")
        # 4. a bare agency closing the line after a sentence: "... from video. Reuters"
        bare = rf"{AFTER_SENTENCE}{agency}(?:\s?/\s?[A-Z][\w. '’-]{{0,40}})?"
        # built from escaped names only, never from a user's pattern: Python's re.
        # Each branch opens with "(" or an anchor of CREDIT_STARTS (see `_credit_in`).
        return re.compile(rf"(?:{paren}|{slash}|{labelled}|{bare})[\s.]*$")


@register
class CaptionCheck(ScreenedCheck):
    """Removes a line that is a photo caption or a photo credit."""

    kind = "captions"
    Settings = CaptionSettings
    max_words: int = 1 << 30  # the most words a screened rule's caption can have

    def prepare(self, settings: list) -> None:
        """One RE2 screen for all the rules (see `ScreenedCheck`), scanning the units
        short enough to be a caption for one of them."""
        super().prepare(settings)
        self.max_words = max((s.max_words for s in self.slots), default=0)

    def _texts(self, doc: Document, ctx: Context) -> tuple[list[str], list[int]]:
        """The units a screened rule may take for a caption (a longer one is text):
        their texts, and the index of each in `text_units`."""
        limit = self.max_words
        kept = [(i, t) for i, (_, _, t) in enumerate(text_units(doc, ctx))
                if len(t) <= MAX_CHARS and count_words(t) <= limit]
        return [t for _, t in kept], [i for i, _ in kept]

    def check(self, doc: Document, settings: CaptionSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        units = text_units(doc, ctx)
        picked = self.units(settings, ctx, lambda: self._texts(doc, ctx))
        if picked is not None:  # the units the scan picks for the rule: none else is a caption
            if not picked:
                return
            units = [units[i] for i in picked]
        search = settings.pattern.search
        # a verdict depends on the text alone: kept across passes, a later pass
        # judges only the lines an edit changed
        verdicts = ctx.lasting.setdefault(("captions", rule.code), {})
        # a hard-wrapped paragraph is judged whole: its credit is on its last line
        for first, last, text in units:
            caption = verdicts.get(text)
            if caption is None:
                caption = verdicts[text] = self._is_caption(text, settings, search)
            if caption:
                yield rule.remove_lines(doc, first, last, settings.message,
                                        confidence=settings.confidence)

    @staticmethod
    def _is_caption(text: str, settings: CaptionSettings, search) -> bool:
        if len(text) > MAX_CHARS:
            return False
        if settings.match == "credit":
            # every form of credit sits in the last 220 characters and shows a mark
            # ('/', ':', '©', a closing parenthesis) or ends on a capitalised name;
            # lookbehinds still see what precedes the search window
            start = max(0, len(text) - 220)
            tail = text[start:]
            last = tail.rstrip(" .").rsplit(None, 1)[-1:] or [""]
            if not (tail.rstrip(" .").endswith(")") or any(c in tail for c in "/:©…")
                    or last[0][:1].isupper()):
                return False
            if count_words(text) > settings.max_words or not _credit_in(text, start,
                                                                         settings.pattern):
                return False
        elif count_words(text) > settings.max_words or search(text) is None:
            return False
        # several sentences are text, whatever they end with
        return len(_SENTENCES_RE.findall(text)) < settings.max_sentences


def _credit_in(text: str, start: int, pattern: re.Pattern) -> bool:
    """`pattern.search(text, start)` for the credit pattern, tried only where a
    credit can begin (CREDIT_STARTS): the same answer, in half the time of letting
    the regex engine try its branches at every position."""
    match = pattern.match
    return any(match(text, m.start()) for m in CREDIT_STARTS.finditer(text, start))
