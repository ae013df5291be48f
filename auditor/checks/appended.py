"""Appended stories: where the article ends and another page's story begins.

Scrapers that follow a "next story" link, or read a page past its article, glue
another story's headline and first paragraphs onto the end of the one they were
after. No single line says so; the evidence lies in how the text around a
headline-like line relates, so a boundary needs several kinds of it at once:

- lexical cohesion drops: the words after the line are words the article never
  used (per document: the idf-weighted share of the smaller side's content words
  that the other side uses too), also against the article's own last paragraphs;
- the next paragraphs restate the line, as a lede restates its headline;
- a fresh metadata block follows it ("Updated …", a byline, "Follow", the headline
  again) or its first paragraph opens with a dateline ("MOSCOW:", "(CNN)");
- a date there lies far from the article's own (the header date, else the first
  date near the top);
- page trailers ("Most Popular", "Read more") close what follows;
- it is the only subheading-like line of the article and leads a short tail.

A subheading, a question of a Q&A, a list item or a closing paragraph that turns
to another subject fails most of these: the article's words carry on after it, its
own words were used before, the article's other sections differ as much, no
metadata follows. The body before a boundary, the story after it (a lede within a
few lines, a teaser's length) and their proportions must also be plausible.
Everything from the best boundary to the end goes as one finding listing its
evidence. All counts are per document; nothing is learnt across a corpus.
"""
from __future__ import annotations

import math
import re
import statistics
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, chain
from operator import and_, eq, mul
from typing import Iterator

from auditor.checks.base import Check, Context, RuleInfo, register
from auditor.checks.lines import fold, folds_of
from auditor.datefind import find_dates
from auditor.document import Document, Line, count_words
from auditor.patterns import compile_any

WORD_RE = re.compile(r"\w+")
LONG_WORD_RE = re.compile(r"\w{3,}")  # the runs of WORD_RE three or more long, found in C
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
CLOSERS = "\"'”’“‘)]»"
SENTENCE_ENDS = tuple(".!?…。！？")
NOT_HEADLINE_ENDS = tuple(".,;:…。，；：")
BULLETS = tuple("-•*–—·>|▶►")
STEM = 6  # words are compared by their first six letters, so "reviews" meets "review"
SUBSTANTIAL_WORDS = 12
OPENING_LINES = 3  # an article's own dateline and metadata sit in its first lines
TOP_LINES = 8  # where an article without a header states its date


@dataclass(frozen=True)
class AppendedSettings:
    """Thresholds, points and word lists; rules/appended.toml says what each means."""

    min_body_words: int = 50
    min_story_words: int = 30
    min_story_paragraphs: int = 2
    max_story_words: int = 1000
    max_story_ratio: float = 2.0
    story_ratio_floor: int = 300
    min_headline_words: int = 2
    max_headline_words: int = 20
    short_headline_words: int = 4
    max_question_words: int = 14
    overlap_points: tuple[tuple[float, float], ...] = ((0.06, 3.0), (0.12, 2.0), (0.25, 1.0))
    drop_ratio: float = 0.35
    section_ratio: float = 0.5
    lone_tail_ratio: float = 0.5
    main_words: int = 5
    main_words_share: float = 0.8
    min_echo: float = 0.2
    max_reuse: float = 0.4
    lede_paragraphs: int = 3
    metadata_window: int = 6
    date_gap_days: int = 60
    min_score: float = 3.0
    min_signals: int = 2
    stopwords: tuple[str, ...] = ()
    metadata_patterns: tuple[str, ...] = ()
    dateline_patterns: tuple[str, ...] = ()
    not_headline_patterns: tuple[str, ...] = ()
    trailers: tuple[str, ...] = ()
    message: str = "appended story"
    stopword_set: frozenset = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self):
        for name in ("stopwords", "metadata_patterns", "dateline_patterns",
                     "not_headline_patterns", "trailers"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "stopword_set", frozenset(w.casefold() for w in self.stopwords))
        tiers = tuple(sorted((float(a), float(b)) for a, b in self.overlap_points))
        if not tiers or any(not 0 <= a <= 1 for a, _ in tiers):
            raise ValueError("overlap_points needs [max_overlap, points] pairs, overlaps in 0..1")
        object.__setattr__(self, "overlap_points", tiers)
        for name in ("drop_ratio", "section_ratio", "lone_tail_ratio", "main_words_share",
                     "min_echo", "max_reuse"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1")
        if not 1 <= self.min_headline_words <= self.max_headline_words:
            raise ValueError("need 1 <= min_headline_words <= max_headline_words")
        _ = self.metadata_re, self.dateline_re, self.not_headline_re

    @cached_property
    def metadata_re(self) -> re.Pattern | None:
        return compile_any(self.metadata_patterns, re.I)

    @cached_property
    def dateline_re(self) -> re.Pattern | None:
        return compile_any(self.dateline_patterns)

    @cached_property
    def not_headline_re(self) -> re.Pattern | None:
        return compile_any(self.not_headline_patterns, re.I)

    @cached_property
    def trailer_set(self) -> frozenset[str]:
        return frozenset(fold(t) for t in self.trailers)


# ------------------------------------------------------------------ the text

def word_count(text: str, cjk: bool = True) -> int:
    """Words of a line; Chinese and Japanese characters count one word per two (`cjk`
    False: the line's document holds none, see `Document.cjk`)."""
    n = count_words(text)
    return n + len(CJK_RE.findall(text)) // 2 if cjk else n


def content_words(text: str, stopwords: frozenset, cjk: bool = True) -> list[str]:
    """The words that carry a topic: no numbers, short words or stopwords, cut to
    their first letters. Chinese and Japanese runs become character pairs."""
    folded = text.casefold()
    if not (cjk and CJK_RE.search(text)):
        return [w[:STEM] for w in LONG_WORD_RE.findall(folded)
                if w not in stopwords and not w.isdigit()]
    out = []
    for w in WORD_RE.findall(folded):
        if CJK_RE.search(w):
            out.extend(w[i:i + 2] for i in range(len(w) - 1))
        elif len(w) >= 3 and w not in stopwords and not w.isdigit():
            out.append(w[:STEM])
    return out


def ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(CLOSERS).endswith(SENTENCE_ENDS)


def prefix_sums(values) -> list[int]:
    """Running totals from 0, so that any range sums in one subtraction."""
    return [0, *accumulate(values)]


@dataclass
class TextMemo:
    """What depends on a line's text alone, kept across a document's passes (a later
    pass sees mostly the lines of the one before): content words and their sets,
    first date, fold (the `lines` rules' folds, `lines.folds_of`: a text is folded
    once for both), and size, prose and headline shape (per whether the document
    has Chinese or Japanese, and per settings for the shape)."""

    words: dict[str, list[str]] = field(default_factory=dict)
    sets: dict[str, set[str]] = field(default_factory=dict)  # the same, as sets
    dates: dict[str, object] = field(default_factory=dict)
    folds: dict[str, str] = field(default_factory=dict)
    shapes: dict[bool, dict[str, tuple[int, bool]]] = field(default_factory=dict)
    headlines: dict[tuple, dict[str, bool]] = field(default_factory=dict)


class Units:
    """The non-blank lines of a document, their words and running counts, built once."""

    def __init__(self, doc: Document, settings: AppendedSettings, memo: TextMemo | None = None):
        self.doc = doc
        self.settings = settings
        self.memo = TextMemo() if memo is None else memo
        self._headings: dict[int, bool] = {}
        self._bags: dict[tuple[int, int], Counter] = {}
        self._prefixes: list[int] = []  # the `stop` of every bag (0, stop) built, ascending
        self._sizes: dict[int, int] = {}  # id of a bag (they live as long as this) -> its words
        self._trailers: tuple[int, list[int]] | None = None
        self.lines: list[Line] = list(doc.body_lines)
        # a line's size and prose depend on its text (and on whether the document
        # has Chinese or Japanese anywhere): kept across passes in the memo
        self.cjk = cjk = doc.cjk
        shapes = self.memo.shapes.setdefault(cjk, {})
        self._headline_texts = self.memo.headlines.setdefault((settings, cjk), {})
        self.texts = texts = [u[3] for u in self.lines]
        for text in set(texts).difference(shapes):
            size = word_count(text, cjk)
            shapes[text] = (size, size >= SUBSTANTIAL_WORDS and ends_sentence(text))
        self.sizes, self.prose = map(list, zip(*map(shapes.__getitem__, texts))) if texts \
            else ([], [])
        stripped = [u[5] for u in self.lines]
        n = len(stripped)
        # stripped text -> the first line showing it (the last written, reading backwards)
        self.first_at: dict[str, int] = dict(zip(reversed(stripped), range(n - 1, -1, -1)))
        firsts = map(eq, map(self.first_at.__getitem__, stripped), range(n))
        self._words = prefix_sums(self.sizes)
        self._prose = prefix_sums(map(mul, self.sizes, self.prose))
        self._distinct = prefix_sums(map(mul, self.sizes, map(and_, self.prose, firsts)))
        self._substantial = prefix_sums(map(SUBSTANTIAL_WORDS.__le__, self.sizes))

    @cached_property
    def words(self) -> list[list[str]]:
        """Each line's content words; built only for documents that pass `candidates`."""
        stopwords, cache, sets = self.settings.stopword_set, self.memo.words, self.memo.sets
        for text in set(self.texts).difference(cache):
            cache[text] = words = content_words(text, stopwords, self.cjk)
            sets[text] = set(words)
        out = list(map(cache.__getitem__, self.texts))
        self._content = prefix_sums(map(len, out))
        return out

    def word_set(self, k: int) -> set[str]:
        """Line `k`'s content words as a set (shared: do not change it)."""
        _ = self.words
        return self.memo.sets[self.texts[k]]

    @cached_property
    def idf(self) -> dict[str, float]:
        _ = self.words  # the word sets of the lines' texts are made with their words
        # lines holding each word
        df = Counter(chain.from_iterable(map(self.memo.sets.__getitem__, self.texts)))
        n = len(self.lines) + 1
        return {w: math.log(n / c) for w, c in df.items()}

    def __len__(self) -> int:
        return len(self.lines)

    @cached_property
    def headings(self) -> list[bool]:
        """Which lines are shaped like a headline (see `headline_shaped`)."""
        return [self.heading(k) for k in range(len(self))]

    def heading(self, k: int) -> bool:
        """Whether line `k` is shaped like a headline, worked out once and when asked."""
        shaped = self._headings.get(k)
        if shaped is None:
            shaped = self._headings[k] = headline_shaped(self, k, self.settings)
        return shaped

    @cached_property
    def first_question(self) -> int | None:
        """The first line that is a question standing on its own (short, ending in
        '?'): where an interview, a Q&A or an FAQ asks its first question."""
        limit = self.settings.max_question_words
        return next((k for k, (u, size) in enumerate(zip(self.lines, self.sizes))
                     if size <= limit and u.stripped.rstrip(CLOSERS).endswith("?")), None)

    @cached_property
    def body_start(self) -> int:
        """The first paragraph of prose: where the article's body begins."""
        return next((i for i, p in enumerate(self.prose) if p), len(self))

    def first_date(self, start: int, stop: int):
        """`first_date` of lines `start`..`stop`; each line text is read for dates
        once, however many candidate boundaries (and passes) look at it."""
        dates = self.memo.dates
        for i in range(start, min(stop, len(self.lines))):
            text = self.lines[i].text
            if text not in dates:
                dates[text] = first_date(self.lines[i:i + 1])
            if dates[text] is not None:
                return dates[text]
        return None

    def headline_text(self, k: int) -> bool:
        """`headline_text` of line `k`, worked out once per line text."""
        text = self.lines[k].stripped
        verdict = self._headline_texts.get(text)
        if verdict is None:
            verdict = self._headline_texts[text] = headline_text(text, self.sizes[k],
                                                                 self.settings)
        return verdict

    def folded(self, i: int) -> str:
        """`fold` of line `i`, worked out once per line text."""
        text = self.lines[i].stripped
        folded = self.memo.folds.get(text)
        if folded is None:
            folded = self.memo.folds[text] = fold(text)
        return folded

    def trailers(self, start: int) -> Iterator[int]:
        """The lines from `start` on that are page trailers, in order; the lines are
        read once, from the lowest `start` asked (candidates are weighed in order)."""
        if self._trailers is None or start < self._trailers[0]:
            trailer_set = self.settings.trailer_set
            self._trailers = (start, [i for i in range(start, len(self))
                                      if self.folded(i) in trailer_set])
        return (i for i in self._trailers[1] if i >= start)

    def split_range(self, s: AppendedSettings) -> tuple[int, int]:
        """The lines `k` (from 1 to the last but one) where the running counts that
        `plausible_split` asks for can hold: enough prose before `k`; after it, a
        story of at least `min_story_words` words, at most `max_story_words`, with
        `min_story_paragraphs` substantial lines. Each count moves one way with `k`,
        so each bound is found by bisection."""
        n = len(self)
        words, total = self._words, self._words[n]
        lo = max(1, bisect_left(self._distinct, s.min_body_words),
                 bisect_left(words, total - s.max_story_words) - 1)
        hi = min(n - 2, bisect_right(words, total - s.min_story_words) - 2,
                 bisect_right(self._substantial, self._substantial[n] - s.min_story_paragraphs) - 2)
        return lo, hi

    def word_total(self, start: int, stop: int) -> int:
        return self._words[stop] - self._words[start]

    def prose_words(self, start: int, stop: int) -> int:
        return self._prose[stop] - self._prose[start]

    def distinct_prose_words(self, stop: int) -> int:
        """Prose words before `stop`, a repeated paragraph (a caption) counted once."""
        return self._distinct[stop]

    def substantial(self, start: int, stop: int) -> int:
        """Lines of a dozen words or more."""
        return self._substantial[stop] - self._substantial[start]

    def bag(self, start: int, stop: int) -> Counter:
        """The content words of lines `start`..`stop` counted (shared: do not change it).

        A bag from the first line extends the largest one built below it: the same
        words counted in the same order give the same keys in the same order (the
        overlap's sums run in that order), for a fraction of the counting.
        """
        bag = self._bags.get((start, stop))
        if bag is not None:
            return bag
        words = self.words
        below = bisect_right(self._prefixes, stop) - 1 if start == 0 else -1
        if below >= 0:
            known = self._prefixes[below]
            bag = self._bags[0, known].copy()
            bag.update(chain.from_iterable(words[known:stop]))
        else:
            bag = Counter(chain.from_iterable(words[start:stop]))
        if start == 0:
            insort(self._prefixes, stop)
        self._bags[start, stop] = bag
        self._sizes[id(bag)] = self._content[stop] - self._content[start]
        return bag

    def _size(self, bag: Counter) -> int:
        """The words a bag counts: known for the bags `bag` built (their ids stay
        theirs while this lives), summed for any other."""
        size = self._sizes.get(id(bag))
        return sum(bag.values()) if size is None else size

    def overlap(self, a: Counter, b: Counter) -> float | None:
        """How much of the smaller bag's weighted vocabulary the larger one uses.

        Near 1 for two parts of one article, near 0 for unrelated texts; taking the
        smaller side keeps a long article from swamping a short tail.
        """
        small, big = (b, a) if self._size(a) >= self._size(b) else (a, b)
        # sums of idf[w] * count over the small bag's words in their order, mapped
        # in C rather than looped in Python (the same terms, so the same floats)
        idf = self.idf.__getitem__
        total = sum(map(mul, map(idf, small), small.values()))
        if not total:
            return None
        shared = list(filter(big.__contains__, small))
        return sum(map(mul, map(idf, shared), map(small.__getitem__, shared))) / total


# ------------------------------------------------------------------ candidates

def headline_shaped(units: Units, k: int, s: AppendedSettings) -> bool:
    """A line that could be a headline: short, not a sentence, not a list item or
    caption, standing on its own rather than a piece of a wrapped paragraph."""
    return shaped_without_words(units, k, s) and len(units.word_set(k)) >= 2


def shaped_without_words(units: Units, k: int, s: AppendedSettings) -> bool:
    """`headline_shaped` without its content-word test: cheap, and a necessary
    condition, so that `candidates` can rule lines out before any word is counted."""
    if not units.headline_text(k):
        return False
    text = units.lines[k].stripped
    if text.rstrip(CLOSERS).endswith("?") and units.first_question is not None \
            and units.first_question < k:
        return False  # the article asks questions line by line: this is one more of them
    lines, number = units.doc.lines, units.lines[k].number
    before = lines[number - 2] if number >= 2 else None
    after = lines[number] if number < len(lines) else None
    if before is not None and runs_on(before, units.cjk):
        return False
    if after is not None and not after.blank and runs_on(units.lines[k], units.cjk):
        return False  # the first line of a hard-wrapped paragraph
    return after is None or after.blank or not after.stripped[:1].islower()


def headline_text(text: str, words: int, s: AppendedSettings) -> bool:
    """What `shaped_without_words` asks of a line's text alone (`words` its size):
    a headline's length and ends, no bullet, no metadata."""
    core = text.rstrip(CLOSERS)
    if not core or core.endswith(NOT_HEADLINE_ENDS) or text.startswith(BULLETS):
        return False
    if text[0].islower() or len(text) > 200:
        return False
    if not s.min_headline_words <= words <= s.max_headline_words:
        return False
    if core.endswith(("!", "?")) and words > s.max_question_words:
        return False
    if s.not_headline_re and s.not_headline_re.search(text):
        return False
    return not (s.metadata_re and s.metadata_re.fullmatch(text))  # "Updated …" opens a block


def runs_on(line: Line, cjk: bool = True) -> bool:
    """A long line that stops mid-sentence: what follows it continues its paragraph."""
    return (not line.blank and not line.ends_sentence
            and word_count(line.text, cjk) >= SUBSTANTIAL_WORDS)


def plausible_split(units: Units, k: int, s: AppendedSettings) -> bool:
    """A body worth the name before `k`; after it a lede within the metadata window
    and a story of a teaser's size that does not dwarf the body."""
    n = len(units)
    if not any(units.prose[k + 1:k + 1 + s.metadata_window]):
        return False
    story = units.word_total(k + 1, n)
    story_prose = units.prose_words(k + 1, n)
    return (units.distinct_prose_words(k) >= s.min_body_words
            and s.min_story_words <= story <= s.max_story_words
            and units.substantial(k + 1, n) >= s.min_story_paragraphs
            and story_prose <= max(s.max_story_ratio * units.prose_words(0, k),
                                   s.story_ratio_floor))


def title_stays(units: Units, before: Counter, after: Counter) -> bool:
    """The page's first line shares at least as many words with the text before the
    line as with the text after it (else what follows is the article itself)."""
    title = units.word_set(0)
    return len(title & before.keys()) >= len(title & after.keys())


# ------------------------------------------------------------------ evidence

@dataclass(frozen=True)
class Evidence:
    """Points for (negative: against) a boundary. `signal` names the kind of
    evidence, so that a cut can require several kinds."""

    points: float
    reason: str
    signal: str = ""


@dataclass(frozen=True)
class Boundary:
    """A line where another story may begin, with the evidence for and against."""

    index: int
    overlap: float
    evidence: tuple[Evidence, ...]

    @property
    def score(self) -> float:
        return sum(e.points for e in self.evidence)

    @property
    def signals(self) -> int:
        return len({e.signal for e in self.evidence if e.signal and e.points > 0})

    def reasons(self) -> str:
        return "; ".join(e.reason for e in self.evidence)


def tail_overlap(units: Units, k: int, story_words: int) -> float | None:
    """Overlap between the article's own last `story_words` words and the rest of
    it: what the text after `k` would share if the article simply went on."""
    m = k
    while m > 0 and units.word_total(m, k) < story_words:
        m -= 1
    if m == 0 or units.word_total(0, m) < units.word_total(m, k):
        return None
    return units.overlap(units.bag(0, m), units.bag(m, k))


def section_overlap(units: Units, k: int, s: AppendedSettings) -> float | None:
    """Median overlap at the article's own subheadings: how much one of its sections
    differs from what precedes it. None when it has none."""
    values = []
    for j in range(units.body_start + 1, k - 1):
        if (units.prose_words(0, j) >= s.min_body_words
                and units.word_total(j + 1, k) >= s.min_story_words and units.heading(j)):
            v = units.overlap(units.bag(0, j), units.bag(j + 1, k))
            if v is not None:
                values.append(v)
    return statistics.median(values) if values else None


def main_words_carried(units: Units, k: int, s: AppendedSettings) -> list[str]:
    """The article's most frequent words that the text after `k` still uses, when
    they are most of them: the idf-weighted overlap overlooks them, being common."""
    top = [w for w, c in units.bag(0, k).most_common(s.main_words) if c >= 2]
    after = units.bag(k + 1, len(units))
    carried = [w for w in top if w in after]
    return carried if top and len(carried) >= s.main_words_share * len(top) else []


def vocabulary(units: Units, k: int, value: float, s: AppendedSettings) -> list[Evidence]:
    """Cohesion: how little of its vocabulary the text after `k` shares with the
    article (`drop` and `sections` weigh it against the article's own parts)."""
    points = next((p for limit, p in s.overlap_points if value <= limit), 0)
    if not points:
        return []
    carried = main_words_carried(units, k, s)
    if carried:
        return [Evidence(0, f"only {value:.0%} of the vocabulary after it occurs before it, "
                            f"but the article's main words carry on ({', '.join(carried)})")]
    return [Evidence(points, f"only {value:.0%} of the vocabulary after it occurs before it",
                     "vocabulary")]


def drop(units: Units, k: int, value: float, s: AppendedSettings) -> list[Evidence]:
    """The cohesion drop against the article's own last paragraphs."""
    own = tail_overlap(units, k, units.word_total(k + 1, len(units)))
    if own is not None and value <= s.drop_ratio * own:
        return [Evidence(1, f"against {own:.0%} for the article's own last paragraphs", "drop")]
    return []


def sections(units: Units, k: int, value: float, s: AppendedSettings) -> list[Evidence]:
    """The cohesion drop against the article's own sections: none if they differ
    almost as much from what precedes them."""
    median = section_overlap(units, k, s)
    if median is not None and value > s.section_ratio * median:
        return [Evidence(-1, f"but the article's sections differ almost as much ({median:.0%})")]
    return []


def lede(units: Units, k: int) -> int:
    """The first paragraph of prose after the line (`plausible_split` ensures one)."""
    return next(i for i in range(k + 1, len(units)) if units.prose[i])


def lede_continues(units: Units, k: int, before: Counter, s: AppendedSettings) -> bool:
    """A teaser of another story inside the article: the paragraph after the line
    goes on with the article's words, not the line's, and not the rest of the tail's."""
    first = lede(units, k)
    lede_bag = units.bag(first, first + 1)
    with_article = units.overlap(before, lede_bag)
    with_rest = units.overlap(lede_bag, units.bag(first + 1, len(units))) or 0.0
    return (with_article is not None and with_article >= 0.1 and with_article > with_rest
            and echo(units, k, s) == 0)


def echo(units: Units, k: int, s: AppendedSettings) -> float:
    """Share of the line's words that its lede and the lines after it repeat, not
    counting the line itself repeated (that is metadata); smoothed by one, so that
    a two-word line cannot echo fully."""
    head = units.word_set(k)
    said = set()
    for i in range(k + 1, min(len(units), lede(units, k) + s.lede_paragraphs)):
        if units.lines[i].stripped != units.lines[k].stripped:
            said.update(units.words[i])
    return len(head & said) / (len(head) + 1)


def metadata_lines(units: Units, k: int, s: AppendedSettings) -> list[str]:
    """The short lines of a new story's metadata block, between the line and its
    lede: "Updated …", bylines, "Follow", the headline repeated."""
    head = units.lines[k].stripped
    found = []
    for u in units.lines[k + 1:lede(units, k)]:
        text = u.stripped
        if word_count(text, units.cjk) <= SUBSTANTIAL_WORDS and (
                text == head or (s.metadata_re and s.metadata_re.fullmatch(text))):
            found.append(text)
    return found


def dateline(units: Units, k: int, s: AppendedSettings) -> str | None:
    """The dateline opening the first paragraph after the line, unless the article's
    own paragraphs open that way too (speakers in a transcript)."""
    if s.dateline_re is None:
        return None
    m = s.dateline_re.match(units.lines[lede(units, k)].stripped)
    if not m or any(s.dateline_re.match(u.stripped) for u in units.lines[OPENING_LINES:k]):
        return None
    return m.group(0).strip()


def first_date(lines: list[Line]):
    """The first unambiguous calendar date written in `lines`, if any."""
    for u in lines:
        for mention in find_dates(u.text):
            if mention.date is not None:
                return mention.date
    return None


def date_gap(units: Units, k: int, s: AppendedSettings) -> tuple | None:
    """The story's date and the article's, when more than `date_gap_days` apart."""
    story = units.first_date(k, k + 1 + s.metadata_window)
    if story is None:
        return None
    header = units.doc.header
    article = header.date if header and header.date else units.first_date(0, min(k, TOP_LINES))
    if article is None or abs((story - article).days) <= s.date_gap_days:
        return None
    return story, article


def trailer(units: Units, k: int, s: AppendedSettings) -> str | None:
    """A page trailer ("Most Popular", "Read more:") after the story's paragraphs
    (right under the line it is the line's own link, as in a teaser)."""
    for i in units.trailers(k + 1):
        if units.substantial(k + 1, i) >= s.min_story_paragraphs:
            return units.lines[i].stripped
    return None


def lone_heading(units: Units, k: int, s: AppendedSettings) -> bool:
    """The article has used no subheading before `k`, and the line leads a tail
    short beside the body: a new story more likely than a first section."""
    n = len(units)
    return (units.prose_words(k + 1, n) <= s.lone_tail_ratio * units.prose_words(0, k)
            and not any(units.heading(j) for j in range(units.body_start, k)))


def echoed(units: Units, k: int, s: AppendedSettings) -> list[Evidence]:
    if echo(units, k, s) >= s.min_echo:
        return [Evidence(1, "the next paragraphs restate it as a lede restates a headline", "echo")]
    return []


def metadata(units: Units, k: int, s: AppendedSettings) -> list[Evidence]:
    meta = list(dict.fromkeys(metadata_lines(units, k, s)))
    if len(meta) >= 2:
        shown = ", ".join(repr(m) for m in meta)
        return [Evidence(len(meta) - 1, f"a new metadata block follows ({shown})", "metadata")]
    return []


def opens_with_dateline(units: Units, k: int, s: AppendedSettings) -> list[Evidence]:
    opening = dateline(units, k, s)
    if opening:
        return [Evidence(1, f"the next paragraph opens with a dateline ({opening!r})", "dateline")]
    return []


def dated_apart(units: Units, k: int, s: AppendedSettings) -> list[Evidence]:
    dates = date_gap(units, k, s)
    if dates:
        return [Evidence(1, f"dated {dates[0]:%Y-%m-%d}, the article {dates[1]:%Y-%m-%d}", "date")]
    return []


def closed_by_trailer(units: Units, k: int, s: AppendedSettings) -> list[Evidence]:
    closing = trailer(units, k, s)
    if closing:
        return [Evidence(1, f"page trailer {closing!r} follows the story", "trailer")]
    return []


def leads_lone(units: Units, k: int, s: AppendedSettings) -> list[Evidence]:
    if lone_heading(units, k, s):
        return [Evidence(1, "the article has no other subheading and it leads a short tail",
                         "lone")]
    return []


# The kinds of evidence of a boundary, in the order a finding lists them.
EVIDENCE_ORDER = ("vocabulary", "drop", "sections", "echo", "metadata", "dateline", "date",
                  "trailer", "lone", "penalties")
# The signs of a story's opening and of a page's end that give a point at most, each
# of its own kind: `weigh` works them out, cheapest first, only while a cut can
# still be made.
AT_MOST_A_POINT = (("dateline", opens_with_dateline), ("lone", leads_lone),
                   ("trailer", closed_by_trailer), ("date", dated_apart))


def penalties(units: Units, k: int, before: Counter, s: AppendedSettings) -> list[Evidence]:
    """What makes the line look like part of the article rather than a new headline."""
    ev = []
    head = units.word_set(k)
    used = len(head & before.keys()) / len(head)
    if used > s.max_reuse:
        ev.append(Evidence(-2 if used >= 2 * s.max_reuse else -1,
                           f"but the article already used {used:.0%} of its words"))
    if word_count(units.lines[k].stripped, units.cjk) < s.short_headline_words:
        ev.append(Evidence(-1, "but it is short for a headline"))
    return ev


def weigh(units: Units, k: int, s: AppendedSettings) -> Boundary | None:
    """The evidence that another story starts at unit `k`, when it can make a cut
    (`min_score` points from `min_signals` kinds of evidence); None if it cannot.

    Nearly every candidate falls short (11 of the 1,974 that get to their evidence
    on the dev pages), so the evidence worth a point at most is worked out last, and
    no more of it once what is still to be had cannot make a cut. A boundary that
    can make one has all its evidence, whatever the order it was worked out in."""
    if units.first_at[units.lines[k].stripped] < k:
        return None  # a line the article already showed is not a new story's headline
    if not (units.heading(k) and plausible_split(units, k, s)):
        return None
    before, after = units.bag(0, k), units.bag(k + 1, len(units))
    value = units.overlap(before, after)
    if value is None or not title_stays(units, before, after) or lede_continues(units, k, before, s):
        return None
    found = {"vocabulary": vocabulary(units, k, value, s), "echo": echoed(units, k, s),
             "metadata": metadata(units, k, s), "penalties": penalties(units, k, before, s)}
    drawn = any(e.points > 0 for e in found["vocabulary"])
    pending = [*AT_MOST_A_POINT, *([("drop", lambda units, k, s: drop(units, k, value, s))]
                                   if drawn else [])]
    for i, (kind, evidence) in enumerate(pending):
        if not can_cut(found, [kind for kind, _ in pending[i:]], s):
            return None
        found[kind] = evidence(units, k, s)
    if not can_cut(found, [], s):
        return None
    if drawn:  # it can only take a point away: worked out for a cut alone
        found["sections"] = sections(units, k, value, s)
    return Boundary(k, value, tuple(chain.from_iterable(
        found[kind] for kind in EVIDENCE_ORDER if kind in found)))


def can_cut(found: dict[str, list[Evidence]], pending: list[str], s: AppendedSettings) -> bool:
    """Whether the evidence `found`, with a point of each kind `pending`, makes a cut."""
    evidence = list(chain.from_iterable(found.values()))
    kinds = {e.signal for e in evidence if e.signal and e.points > 0}.union(pending)
    return (sum(e.points for e in evidence) + len(pending) >= s.min_score
            and len(kinds) >= s.min_signals)


def candidates(units: Units, s: AppendedSettings) -> list[int]:
    """The lines that `weigh` can accept, found with line counts alone.

    `weigh` needs a headline-shaped line and a plausible split; both tests but the
    content-word one read only word counts, so most documents (no line where a
    teaser-sized tail follows a body) are ruled out before any vocabulary is built.
    Only lines in `split_range` can split plausibly: the others are not looked at.
    """
    lo, hi = units.split_range(s)
    return [k for k in range(lo, hi + 1)
            if shaped_without_words(units, k, s) and plausible_split(units, k, s)]


def boundaries(doc: Document, settings: AppendedSettings,
               memo: TextMemo | None = None) -> list[Boundary]:
    """Every line of `doc` where another story may start and a cut may be made, with
    its evidence; `memo` is kept across a document's passes."""
    units = Units(doc, settings, memo)
    found = (weigh(units, k, settings) for k in candidates(units, settings))
    return [b for b in found if b is not None]


def confidence(score: float) -> float:
    return min(0.99, 0.55 + 0.1 * score)


@register
class AppendedCheck(Check):
    """Removes another page's story glued to the end of the article."""

    kind = "appended"
    Settings = AppendedSettings

    def check(self, doc: Document, settings: AppendedSettings, rule: RuleInfo,
              ctx: Context) -> Iterator:
        memo = ctx.lasting.get(("appended", settings.stopword_set))
        if memo is None:
            memo = ctx.lasting["appended", settings.stopword_set] = TextMemo(folds=folds_of(ctx))
        found = [b for b in boundaries(doc, settings, memo)
                 if b.score >= settings.min_score and b.signals >= settings.min_signals]
        if not found:
            return
        best = max(found, key=lambda b: (b.score, b.index))  # ties: cut the least
        lines = doc.body_lines
        first, last = lines[best.index], lines[-1]
        message = (f"{settings.message} from line {first.number} to the end "
                   f"(\"{first.stripped[:80]}\"): {best.reasons()}; score {best.score:g}")
        yield rule.remove_lines(doc, first, last, message, confidence=confidence(best.score))
