"""Boilerplate told by shape, not by phrase: page chrome around the article block,
title and metadata lines at the article's edges, link-reference lists, and lines
that recur across a corpus.

Whole-page text dumps (menus, footers, link lists around one article) and the
leftovers of article extractors share a shape: the article is the densest block
of long, sentence-punctuated lines, and what surrounds it is runs of short lines
without sentence punctuation. The checks here find that block once per document
(shared through `Context.shared`) and judge the rest against it; they need no
phrase list, so they work for any language that separates words or ends
sentences with punctuation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, NamedTuple

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.checks.lines import SENTENCE_BREAK_RE
from auditor.document import CJK_RE, Document, Line, count_words
from auditor.findings import Edit
from auditor.patterns import compile_any

WORD_RE = re.compile(r"\w+")
ALNUM_RE = re.compile(r"[^\W_]")  # a character `str.isalnum` takes (\w is those and "_")
# A sentence ends: . ! ? ~ or their CJK forms, maybe followed by closing quotes or
# brackets and a trailing emoji ("... today! 🙂").
SENTENCE_END_RE = re.compile(
    r"[.!?。！？…~](?:[\"'”’»)\]*]{0,3})[\s\u2600-\u27bf\U0001f300-\U0001faff\ufe0f]*$")
SENTENCE_INSIDE_RE = re.compile(r"[a-z\u00e0-\u024f\d\"”’)][.!?]\s+[\"“‘(]?[A-Z\u00c0-\u024f]|[。！？]")
# A line that opens on a number (a quantity, a step, a value of a table or a list, a
# phone number) or pairs a label with a value ("Voltage: 230 V", "Ort: Kasberg").
QUANTITY_RE = re.compile(r"^\s*(?:[-*•·▪–]\s*)?[+(]?\d|^[^:]{2,40}\w: \S")
LIST_ITEM_RE = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)])\s")
# Marks of text quoted into the article rather than page furniture: a blockquote,
# an attribution dash ("— Rep. Jane Roe (@janeroe) November 19, 2019"), an embedded
# social post (its handle or picture link), or a fact box of several "Label: value"
# pairs ("Tested by: Jane Roe RRP: £23.99").
QUOTED_RE = re.compile(r"^\s*(?:>|—)|pic\.twitter\.com/|\bt\.co/|\(@\w+\)"
                       r"|\w:[*_]*\s.*\w:[*_]*\s")

# Function words of the languages the corpus mostly holds. A line that ends on one
# was cut mid-sentence (a broken wrap), never a title or a menu entry.
FUNCTION_WORDS = frozenset("""
a an the and or but of to in on at by for with from as into than that this these those
is are was were be been his her its their our your my we he she they it not no
der die das den dem des ein eine einen einem und oder aber von zu im in am auf mit für
le la les un une des et ou mais de du au aux en par pour avec sur que qui
el los las una unos y o pero del al con por para que
il lo gli della dei e con per che di da
o os as um uma e ou mas do da dos das com por para que em no na
de het een en of maar van met voor op dat
""".split())


def word_count(text: str, cjk: bool = True) -> int:
    """Words in `text`; unspaced CJK text counts one word per two characters
    (`cjk` False: the text is known to hold none)."""
    n = count_words(text)
    if n and not ALNUM_RE.search(text):
        return 0  # only marks, bullets or invisible characters
    if cjk and not text.isascii():
        unspaced = len(CJK_RE.findall(text))
        if unspaced:
            n = max(n, unspaced // 2)
    return n


def is_fragment(line: Line, nxt: Line | None) -> bool:
    """A piece of a sentence broken over lines: it starts in lower case, ends on a
    function word, or the next line carries on in lower case."""
    text = line.stripped
    if starts_lower(text):
        return True
    words = text.split()
    if words and words[-1].casefold() in FUNCTION_WORDS:
        return True
    return nxt is not None and starts_lower(nxt.stripped)


def starts_lower(text: str) -> bool:
    """Whether `text` carries on a sentence: its first letter is lower case (in any
    script) or it opens with punctuation that cannot start one."""
    text = text.lstrip(" >\"“‘(")
    return bool(text) and (text[0].islower() or text[0] in ",;.)]")


class Unit(NamedTuple):
    """A line, or a hard-wrapped paragraph taken as one.

    `prose` is running text; `sentence` is any line that ends a sentence, however
    short ("Officials did not comment."), which page chrome rarely does. A named
    tuple: every pass builds one per line, and a tuple is the cheapest immutable
    record.
    """

    first: Line
    last: Line
    words: int
    prose: bool
    sentence: bool
    cell: bool = False

    def score(self, penalty: float) -> float:
        if self.prose:
            return float(self.words)
        if self.cell or self.words == 0 or (self.sentence and self.words >= 4):
            return 0.0
        return -(penalty + 0.25 * self.words)


@dataclass(frozen=True)
class Layout:
    """The shape of a document: its units and the article core found among them."""

    units: tuple[Unit, ...]
    core: tuple[int, int] | None  # unit indexes, inclusive
    page_dump: bool


def width(text: str, cjk: bool = True) -> int:
    """Display columns: CJK characters take two (`cjk` False: `text` holds none)."""
    if not cjk or text.isascii():
        return len(text)
    return len(text) + len(CJK_RE.findall(text))


def wrapped_paragraph(para: tuple[Line, ...], cjk: bool = True) -> bool:
    """Whether a paragraph is one text hard-wrapped at a fixed width."""
    if len(para) < 2:
        return False
    widths = [width(line.text.rstrip(), cjk) for line in para[:-1]]
    if not (min(widths) >= 35 and max(widths) <= 120 and sum(widths) / len(widths) >= 55):
        return False
    # a wrap breaks lines anywhere; lines that each end a sentence are separate lines
    ends = sum(bool(SENTENCE_END_RE.search(line.text)) for line in para[:-1])
    return ends * 2 <= len(para) - 1


def text_units(doc: Document, ctx: Context | None = None) -> list[tuple[Line, Line, str]]:
    """(first line, last line, text) of each line, a hard-wrapped paragraph taken as
    one unit with its lines joined: what the layout and the caption rules judge.
    Worked out once per pass when `ctx` is given."""
    if ctx is not None:
        return ctx.shared("text-units", lambda: text_units(doc))
    units = []
    cjk = doc.cjk
    for para in doc.paragraphs:
        if wrapped_paragraph(para, cjk):
            units.append((para[0], para[-1], " ".join(line.stripped for line in para)))
        else:
            units.extend((line, line, line[5]) for line in para)
    return units


def _shape(text: str, min_words: int, cjk: bool = True) -> tuple[int, bool, bool, bool]:
    """What a `Unit` records of its text: words, prose, sentence, cell. Prose reads
    as running text: long enough, and punctuated as sentences unless very long."""
    words = word_count(text, cjk)
    sentence = bool(SENTENCE_END_RE.search(text))
    prose = words >= min_words and (words >= 3 * min_words or sentence
                                    or bool(SENTENCE_INSIDE_RE.search(text)))
    return words, prose, sentence, text.startswith("|") or text.endswith("|")


def layout(doc: Document, min_words: int = 10, short_penalty: float = 2.0,
           dump_short_share: float = 0.5, dump_min_lines: int = 40,
           ctx: Context | None = None, dump_edge_lines: int = 0) -> Layout:
    """Units of `doc` and its article core: the run of units with the largest sum of
    prose words minus a penalty for every short or unpunctuated unit.

    A unit's shape depends on its text alone; with `ctx`, shapes are kept across a
    document's passes, so a later pass measures only the lines an edit changed."""
    shapes = {} if ctx is None else ctx.lasting.setdefault(("unit-shapes", min_words), {})
    scores: dict[tuple, float] = {}  # shape -> its unit's score (a few shapes recur)
    units: list[Unit] = []
    runs: list[float] = []
    new = tuple.__new__  # a Unit built in C: a pass builds one per line
    cjk = doc.cjk
    for first, last, text in text_units(doc, ctx):
        shape = shapes.get(text)
        if shape is None:
            shape = shapes[text] = _shape(text, min_words, cjk)
        unit = new(Unit, (first, last) + shape)
        units.append(unit)
        score = scores.get(shape)
        if score is None:
            score = scores[shape] = unit.score(short_penalty)
        runs.append(score)
    best, best_span = 0.0, None
    run, run_start = 0.0, 0
    for i, score in enumerate(runs):
        if run <= 0:
            run, run_start = score, i
        else:
            run += score
        if run > best:
            best, best_span = run, (run_start, i)
    if best_span is not None:
        best_span = _extend(units, *best_span)
    short = [0 < u.words <= 5 and not (u.sentence or u.cell) for u in units]
    page_dump = sum(short) >= dump_min_lines and sum(short) >= dump_short_share * len(units)
    if page_dump and dump_edge_lines and best_span is not None:
        # a whole page has its menus above the article and its footer below it; an
        # article extractor's output has lost at least one of the two
        page_dump = (sum(short[:best_span[0]]) >= dump_edge_lines
                     and sum(short[best_span[1] + 1:]) >= dump_edge_lines)
    return Layout(tuple(units), best_span, page_dump)


def _extend(units: list[Unit], start: int, end: int) -> tuple[int, int]:
    """Grow the core over lines of some length that sit in the same paragraph as
    its first or last line (no blank line between): a lead sentence that lacks
    its full stop is still the article."""
    while (start > 0 and units[start - 1].words >= 8
           and units[start - 1].last.number + 1 == units[start].first.number):
        start -= 1
    while (end + 1 < len(units) and units[end + 1].words >= 8
           and units[end].last.number + 1 == units[end + 1].first.number):
        end += 1
    return start, end


@dataclass(frozen=True)
class RegionSettings:
    """Parameters of the article-core analysis (shared by the region rules)."""

    min_words: int = 10
    short_penalty: float = 2.0
    dump_short_share: float = 0.4
    dump_min_lines: int = 25
    dump_edge_lines: int = 8
    max_edge_lines: int = 6
    max_edge_words: int = 20
    near_words: int = 6
    gap_units: int = 3
    confidence: float = 1.0
    message: str = ""

    def __post_init__(self):
        if self.min_words < 1 or self.short_penalty < 0:
            raise ValueError("min_words must be >= 1 and short_penalty >= 0")
        if not 0 < self.dump_short_share <= 1:
            raise ValueError("dump_short_share must be in (0, 1]")

    def layout(self, doc: Document, ctx: Context) -> Layout:
        """The layout of `doc`, worked out once a pass; that of the document as given
        is kept for all the passes over it (a later pass asks whether it was a page)."""
        key = ("layout", self.min_words, self.short_penalty, self.dump_short_share,
               self.dump_min_lines, self.dump_edge_lines)
        if doc is ctx.original and key in ctx.lasting:
            return ctx.lasting[key]
        found = ctx.shared(key, lambda: layout(doc, self.min_words, self.short_penalty,
                                               self.dump_short_share, self.dump_min_lines, ctx,
                                               self.dump_edge_lines))
        if doc is ctx.original:
            ctx.lasting[key] = found
        return found


@register
class PageChromeCheck(Check):
    """In a whole-page dump, removes the menus, link lists and footers around the
    article core.

    Only what is sure to be chrome goes: link labels. The article's region grows
    from the core over lines that read as its content (of `near_words` words or more,
    or opening on a number: an ingredient, a step, a row of a table), bridging up to
    `gap_units` short lines between them (a subheading, a label); so the headline and
    standfirst above the body, a list beside it and a part split off by an
    advertisement stay with it. Outside the region, lines shorter than `min_words`
    go, except those with a comma: menus and link labels have none. On the public
    benchmarks the pages' own text outweighs the teasers and comments among what
    this keeps."""

    kind = "page-chrome"
    phase = 1
    Settings = RegionSettings

    def check(self, doc: Document, settings: RegionSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        lay = settings.layout(doc, ctx)
        if lay.core is None or not self._whole_page(doc, lay, settings, ctx):
            return
        units = lay.units
        start, end = _article_region(units, *lay.core, settings)
        message = settings.message or "page text outside the article block"
        for lo, hi in ((0, start - 1), (end + 1, len(units) - 1)):
            # one finding per run of chrome lines keeps the report readable
            block: list[Unit] = []
            for i in range(lo, hi + 1):
                u = units[i]
                if u.prose or ("," in u.first.text and u.words < settings.min_words):
                    if block:
                        yield rule.remove_lines(doc, block[0].first, block[-1].last, message,
                                                confidence=settings.confidence)
                        block = []
                    continue
                if block and u.first.number > block[-1].last.number + 1:
                    yield rule.remove_lines(doc, block[0].first, block[-1].last, message,
                                            confidence=settings.confidence)
                    block = []
                block.append(u)
            if block:
                yield rule.remove_lines(doc, block[0].first, block[-1].last, message,
                                        confidence=settings.confidence)


    @staticmethod
    def _whole_page(doc: Document, lay: Layout, settings: RegionSettings, ctx: Context) -> bool:
        """Whether the text is a whole page: as given (once the menus are gone, a page no
        longer looks like one) or as it now stands (so that cleaning a cleaned text
        finds what the first clean would have found, and nothing more)."""
        original = ctx.original if ctx.original is not None else doc
        if original is doc or lay.page_dump:
            return lay.page_dump
        # the first pass has usually worked it out (`RegionSettings.layout` keeps it);
        # if not, the shapes of the lines the passes share are kept
        return settings.layout(original, Context(lasting=ctx.lasting, original=original)).page_dump


def _article_region(units: tuple[Unit, ...], start: int, end: int,
                    settings: RegionSettings) -> tuple[int, int]:
    """The core grown over content lines at most `gap_units` apart: upwards over long
    lines (a headline, a standfirst, a lead) and lines that open on a number, downwards
    over the latter only (after the article, long lines are other stories' teasers)."""
    def quantity(u: Unit) -> bool:
        return bool(QUANTITY_RE.match(u.first.text))

    grown = True
    while grown:
        grown = False
        for k in range(start - 1, max(start - 1 - settings.gap_units, -1) - 1, -1):
            if units[k].words >= settings.near_words or quantity(units[k]):
                start, grown = k, True
                break
        for k in range(end + 1, min(end + 1 + settings.gap_units, len(units) - 1) + 1):
            if quantity(units[k]):
                end, grown = k, True
                break
    return start, end


@register
class EdgeLinesCheck(Check):
    """Removes title, byline and date lines before the first prose line, and short
    lines after the last one, without crossing a sentence broken over lines."""

    kind = "edge-lines"
    Settings = RegionSettings

    def check(self, doc: Document, settings: RegionSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        lay = settings.layout(doc, ctx)
        units = lay.units
        if lay.page_dump or not any(u.prose for u in units):
            return
        message = settings.message or "title or metadata line outside the article text"
        first_prose = next(i for i, u in enumerate(units) if u.prose)
        last_prose = max(i for i, u in enumerate(units) if u.prose)
        yield from self._edge(doc, units, range(first_prose), settings, rule, message)
        yield from self._edge(doc, units, range(len(units) - 1, last_prose, -1),
                              settings, rule, message)

    def _edge(self, doc, units, order, settings, rule, message):
        taken = 0
        for i in order:
            u = units[i]
            nxt = units[i + 1].first if i + 1 < len(units) else None
            if (u.first is not u.last or u.words > settings.max_edge_words or u.sentence
                    or u.cell or LIST_ITEM_RE.match(u.first.text) or u.first.stripped.endswith(":")
                    or QUOTED_RE.search(u.first.text) or is_fragment(u.first, nxt)
                    or (nxt is not None and LIST_ITEM_RE.match(nxt.text))
                    or taken >= settings.max_edge_lines):
                return
            taken += 1
            yield rule.remove_lines(doc, u.first, u.last, message,
                                    confidence=settings.confidence)


@dataclass(frozen=True)
class HeadlineSettings(RegionSettings):
    """`max_words`: a first line longer than this is running text, not a headline."""

    max_words: int = 25


@register
class HeadlineCheck(Check):
    """The article's own headline: the first line of the body when it is shaped as a
    title (one short line that ends no sentence) and running text comes next.

    The headline is article text, so the rule that uses this kind is off by default;
    selected, it takes the headline out of the text (the metadata keeps it as
    `title` either way)."""

    kind = "headline"
    Settings = HeadlineSettings

    def check(self, doc: Document, settings: HeadlineSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        units = [u for u in settings.layout(doc, ctx).units if u.words]
        if len(units) < 2 or not units[1].prose:
            return  # running text right after it, or it is no headline
        first = units[0]
        text = first.first.stripped
        if (first.first is not first.last or first.prose or first.words > settings.max_words
                or text.endswith((".", ",", ";", ":")) or LIST_ITEM_RE.match(first.first.text)
                or QUOTED_RE.search(first.first.text) or is_fragment(first.first, units[1].first)):
            return
        yield rule.remove_lines(doc, first.first, first.last,
                                settings.message or "the article's headline",
                                confidence=settings.confidence)


@dataclass(frozen=True)
class NoArticleSettings(RegionSettings):
    """`max_lines`: a text of more lines than this is never judged to hold no article."""

    max_lines: int = 3


@register
class NoArticleCheck(Check):
    """Removes a text that holds no article: a headline alone, or a few label lines.

    Extractors that miss the article body leave its title or a form's label
    ("By subscribing I accept the terms of use") as the whole text. A text of at
    most `max_lines` short lines none of which ends a sentence has nothing of an
    article to keep; a single sentence is kept, however short."""

    kind = "no-article"
    Settings = NoArticleSettings

    def check(self, doc: Document, settings: NoArticleSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        units = [u for u in settings.layout(doc, ctx).units if u.words]
        if not units or len(units) > settings.max_lines or any(
                u.sentence or u.prose or u.words > settings.max_edge_words
                or u.first is not u.last for u in units):
            return
        yield rule.remove_lines(doc, units[0].first, units[-1].last,
                                settings.message or "no article text: only a headline or labels",
                                confidence=settings.confidence)


LINK_REF_RE = re.compile(r"^\s*\[\d{1,4}\]:\s*\S+")
INLINE_LINK_RE = re.compile(r"\[([^\[\]\n]{0,300})\]\[\d{1,4}\]|\]\[\d{1,4}\]")


@dataclass(frozen=True)
class LinkSettings:
    """`mode` "references" removes the `[1]: https://…` list; "inline" unwraps `[text][1]`."""

    mode: str = "references"
    confidence: float = 1.0
    message: str = ""

    def __post_init__(self):
        if self.mode not in ("references", "inline"):
            raise ValueError("mode must be 'references' or 'inline'")


@register
class MarkdownLinkCheck(Check):
    """Markdown-style link residue that text-mode extractors write: a list of
    numbered link targets and `[text][n]` markers in the text."""

    kind = "markdown-links"
    Settings = LinkSettings

    def check(self, doc: Document, settings: LinkSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        if "][" not in doc.text and "]:" not in doc.text:
            return
        if settings.mode == "inline":
            yield from self._inline(doc, settings, rule)
            return
        lines = doc.lines
        i = 0
        while i < len(lines):
            if not LINK_REF_RE.match(lines[i].text):
                i += 1
                continue
            j = i
            # a long target wraps onto lines without spaces
            while (j + 1 < len(lines) and not lines[j + 1].blank
                   and (LINK_REF_RE.match(lines[j + 1].text)
                        or (" " not in lines[j + 1].stripped and len(lines[j].text) >= 60))):
                j += 1
            yield rule.remove_lines(doc, lines[i], lines[j],
                                    settings.message or "list of link targets",
                                    confidence=settings.confidence)
            i = j + 1

    def _inline(self, doc, settings, rule):
        message = settings.message or "link marker in the text"
        for m in INLINE_LINK_RE.finditer(doc.text):
            inner = m.group(1)
            if inner is None:  # link text broke over a line: drop the marker only
                start, end, repl = m.start(), m.end(), "]"
            else:
                start, end, repl = m.start(), m.end(), inner.strip()
            yield rule.finding(doc, start, end, message,
                               edit=Edit(start, end, repl), confidence=settings.confidence)


@dataclass(frozen=True)
class CorpusLineSettings:
    """A line is boilerplate when it occurs in at least `min_docs` documents of its
    source and in at least `min_share` of them. Sentences never are."""

    min_docs: int = 5
    min_share: float = 0.05
    max_words: int = 15
    confidence: float = 1.0
    message: str = "line recurring across many documents of this source"

    def __post_init__(self):
        if self.min_docs < 2:
            raise ValueError("min_docs must be at least 2")
        if not 0 <= self.min_share <= 1:
            raise ValueError("min_share must be within [0, 1]")


@register
class CorpusLineCheck(Check):
    """Removes lines that recur across many documents of the same source, as counted
    by a first pass (`auditor.corpusstats.LineStats` in `ctx.corpus`)."""

    kind = "corpus-lines"
    line_local = True
    Settings = CorpusLineSettings

    def check(self, doc: Document, settings: CorpusLineSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        stats = ctx.corpus
        if stats is None or not hasattr(stats, "counts"):
            return
        from auditor.corpusstats import source_of

        source = source_of(doc.id)
        counts = stats.counts.get(source)
        if not counts:
            return
        floor = max(settings.min_docs, settings.min_share * stats.docs[source])
        # a line's count depends on its text alone: kept across passes
        known = ctx.lasting.setdefault(("corpus-lines", rule.code), {})
        for line in doc.body_lines:
            text = line.stripped
            n = known.get(text)
            if n is None:
                n = known[text] = _corpus_count(text, counts, settings.max_words)
            if n >= floor:
                yield rule.remove_lines(doc, line, None, f"{settings.message} ({n} documents)",
                                        confidence=settings.confidence)


def _corpus_count(text: str, counts: dict, max_words: int) -> int:
    """In how many documents of its source a short line occurs; 0 for a line that
    cannot be boilerplate (too long, or a sentence)."""
    from auditor.corpusstats import countable, line_key, normalize

    if not countable(text) or count_words(text) > max_words or SENTENCE_END_RE.search(text):
        return 0
    return counts.get(line_key(normalize(text)), 0)


@dataclass(frozen=True)
class TailSettings:
    """Lines that are boilerplate only at the end of an article: an author's bio, a
    company's "about us". `patterns` must match at the start of the line; `heads`
    match a whole short line that opens such a block ("About Jane Doe")."""

    patterns: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()
    max_lines: int = 3
    max_words: int = 120
    max_head_words: int = 6
    confidence: float = 1.0
    message: str = "author bio or about-us text after the article"

    def __post_init__(self):
        object.__setattr__(self, "patterns", tuple(self.patterns))
        object.__setattr__(self, "heads", tuple(self.heads))
        if not self.patterns:
            raise ValueError("give at least one pattern")
        _ = self.regex, self.head_regex

    @cached_property
    def regex(self):
        return compile_any(self.patterns)

    @cached_property
    def head_regex(self):
        return compile_any(self.heads)


@register
class TailBlockCheck(Check):
    """Removes the run of bio or about-us lines that ends an article.

    Only the final block is judged, from the last line backwards, stopping at the
    first line that does not match; what stays therefore still ends in a line
    that does not match, so a second clean finds nothing more (the check is
    stable, though not line-local). A heading such as "About Jane Doe" among the
    last lines takes the lines after it along, whatever they say."""

    kind = "tail-block"
    Settings = TailSettings

    def check(self, doc: Document, settings: TailSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        lines = [line for line in doc.body_lines if line.stripped]
        match = settings.regex.match
        block: list[Line] = []
        for line in reversed(lines[-settings.max_lines:]):
            text = line.stripped
            if count_words(text) > settings.max_words or not match(text):
                break
            block.append(line)
        block.reverse()
        head = self._head(lines[:len(lines) - len(block)], settings)
        if head is not None:
            block = lines[head:]
        if block and len(block) < len(lines):
            yield rule.remove_lines(doc, block[0], block[-1], settings.message,
                                    confidence=settings.confidence)
        elif not block and lines:
            yield from self._last_sentences(doc, lines[-1], settings, rule)

    @staticmethod
    def _last_sentences(doc: Document, line: Line, settings: TailSettings,
                        rule: RuleInfo) -> Iterator:
        """In a text written as one long line (as some extractors write it), the bio
        is the last sentences of that line: they go, the rest of the line stays."""
        text = line.text
        breaks = list(SENTENCE_BREAK_RE.finditer(text))
        if not breaks:
            return
        cut = None
        for m in reversed(breaks[-settings.max_lines:]):
            if not settings.regex.match(text, m.end()):
                break
            cut = m
        if cut is not None:
            yield rule.finding(doc, line.start + cut.end(), line.end, settings.message,
                               edit=Edit(line.start + cut.start(1), line.end, ""),
                               confidence=settings.confidence)

    @staticmethod
    def _head(lines: list[Line], settings: TailSettings) -> int | None:
        """Index of a heading that opens the final block, with at most `max_lines`
        lines of bio after it."""
        if settings.head_regex is None:
            return None
        for i in range(len(lines) - 1, max(len(lines) - settings.max_lines - 2, -1), -1):
            text = lines[i].stripped
            if count_words(text) <= settings.max_head_words and \
                    settings.head_regex.fullmatch(text):
                return i
        return None
