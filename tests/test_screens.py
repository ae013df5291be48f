"""The pattern screens (of the `lines` and caption rules, and of the date finder): RE2
scans that may select too much but never too little, so that the cleaned text and the
report are exactly those of the patterns run without them."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from auditor import datefind
from auditor.api import DEFAULT, clean_document
from auditor.checks.captions import CaptionCheck
from auditor.checks.lines import LineCheck, LineSettings, _sentence_spans, fold
from auditor.engine import Engine
from auditor.load import document_from_bytes
from auditor.document import Document
from auditor.patterns import Scan, Screen, screen_parts, screen_source, untrusted
from auditor.rulepack import load_rules

HERE = Path(__file__).parent
SAMPLES = sorted((HERE.parent / "sample_data").glob("*.txt"))
CASES = [case for path in sorted((HERE / "fixtures" / "rules").glob("*.toml"))
         for case in tomllib.loads(path.read_text("utf-8"))["case"]]
LINE_RULES = [r for r in load_rules() if r.check == "lines" and r.settings.scope == "line"]
INLINE_RULES = [r for r in load_rules() if r.check == "lines" and r.settings.scope == "inline"]
CAPTION_RULES = [r for r in load_rules() if r.check == "captions"]


def exact(settings: LineSettings, text: str) -> bool:
    """What the rule's own patterns say of a text judged whole, screen or none."""
    folded = fold(text)
    m, f = settings.matcher, settings.finder
    return bool((m is not None and (m.fullmatch(folded) or m.fullmatch(text)))
                or (f is not None and f.search(folded)))


@lru_cache(maxsize=None)
def screen_of(settings: LineSettings) -> Screen:
    return Screen(list(settings.screens))


@lru_cache(maxsize=1)
def screened_and_plain() -> tuple[Engine, Engine]:
    """Engines of the `lines` and caption rules, with their screens and without."""
    rules = [r for r in load_rules() if r.check in ("lines", "captions")]
    screened, plain = Engine(rules), Engine(rules)
    for _, check in plain.runners:
        check.screen = None  # unscreened: every rule judges every unit
    return screened, plain


def selected(settings: LineSettings, text: str) -> bool:
    """Whether the rule's screen, scanning this one text and its folded form, selects it."""
    return bool(screen_of(settings)([text, fold(text)]))


@lru_cache(maxsize=1)
def units() -> list[str]:
    """Every text a `lines` rule judges in the samples, the rule fixtures and the packs'
    examples: each line and each sentence of a long line."""
    texts = [p.read_text("utf-8", errors="replace") for p in SAMPLES]
    texts += [case.get("text", "") for case in CASES]
    texts += [e.before for rule in load_rules() for e in rule.examples]
    out = set()
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            out.add(line)
            out.update(s[2] for s in _sentence_spans(line))
    return sorted(out - {""})


def test_every_shipped_line_and_caption_rule_has_a_screen():
    unscreened = [r.code for r in LINE_RULES + INLINE_RULES + CAPTION_RULES
                  if r.settings.screens is None]
    assert not unscreened, f"rules that would run unscreened: {unscreened}"


@pytest.mark.parametrize("rule", LINE_RULES, ids=lambda r: r.code)
def test_the_screen_selects_every_text_the_rule_matches(rule):
    matched = [t for t in units() if exact(rule.settings, t)]
    missed = [t for t in matched if not selected(rule.settings, t)]
    assert not missed


@pytest.mark.parametrize("rule", INLINE_RULES, ids=lambda r: r.code)
def test_the_screen_selects_every_line_an_inline_rule_cuts_from(rule):
    found = rule.settings.between.search
    texts = [t for t in units() if found(t)]
    texts += [f"The vote passed. {p.title()} The count went on." for p in rule.settings.phrases]
    assert texts
    assert all(Screen(list(rule.settings.screens))([t]) for t in texts if found(t))


@pytest.mark.parametrize("rule", CAPTION_RULES, ids=lambda r: r.code)
def test_the_screen_selects_every_caption_the_rule_finds(rule):
    # a credit is matched at the places one can begin, a lead or shape searched:
    # both are searches of the rule's pattern
    found = rule.settings.pattern.search
    texts = [t for t in units() if found(t)]
    assert texts, "the fixtures hold captions for every caption rule"
    screen = Screen(list(rule.settings.screens))
    assert [t for t in texts if not screen([t])] == []


def test_the_fixtures_give_the_screens_matches_to_check():
    matched = {r.code for r in LINE_RULES if any(exact(r.settings, t) for t in units())}
    assert len(matched) >= len(LINE_RULES) - 2, sorted({r.code for r in LINE_RULES} - matched)


def _phrase_texts():
    """Texts built from the rules' own phrases and prefixes, in any case, with the
    bullets and punctuation a line may carry, some padded with other words."""
    phrases = sorted({p for r in LINE_RULES for p in r.settings.phrases + r.settings.prefixes})
    edge = st.sampled_from(["", " ", "• ", "» ", "| ", "- ", "*", "…", ": ", "#"])
    tail = st.sampled_from(["", ".", "!", " ?", ":", " »", " >", " 12", " (3)"])
    case = st.sampled_from([str, str.upper, str.lower, str.title, str.swapcase])
    filler = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
    return st.builds(lambda e, p, c, t, f, g: f"{e}{c(p)}{t}{g}{f}",
                     edge, st.sampled_from(phrases), case, tail, filler,
                     st.sampled_from(["", " ", " | "]))


@settings(max_examples=400, deadline=None)
@given(_phrase_texts())
def test_texts_made_of_phrases_are_never_missed(text):
    for rule in LINE_RULES:
        if exact(rule.settings, text):
            assert selected(rule.settings, text), (rule.code, text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_phrase_texts(), st.booleans()), max_size=40), st.integers(1, 20))
def test_a_scan_picks_every_unit_one_of_whose_texts_a_screen_matches(items, run):
    # a unit (a line) may own several texts (its folded form, its sentences)
    texts, owners = [t for t, _ in items], []
    for _, new_unit in items:
        owners.append(owners[-1] + new_unit if owners else 0)
    for rule in LINE_RULES:
        screen = screen_of(rule.settings)
        scan = Scan(screen, texts, owners, [0] * screen.size, run)
        matched = {owners[i] for i, t in enumerate(texts) if screen([t])}
        assert 0 in scan.selected or not matched
        picked = scan.units(0) if 0 in scan.selected else []
        assert matched <= set(picked), rule.code


def test_a_scan_picks_the_units_of_the_runs_where_a_screen_matches():
    source = screen_source(r"read more")
    texts = ["a", "b", "c", "read more", "d", "e", "f \ud800", "g"]
    scan = Scan(Screen([source]), texts, [0, 0, 1, 2, 3, 4, 5, 6], [0], run=2)
    # runs: (a b) (c, read more) (d e) (f, g): the second matches; the fourth cannot be read
    assert scan.units(0) == [1, 2, 5, 6]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_phrase_texts(), st.sampled_from(
    ["The vote passed on Tuesday after a long debate in the chamber, officials said.",
     "Police said the suspect was arrested. Read more: How the case unfolded. The trial opens soon.",
     "(AP Photo/Jane Roe)", "Photo: Reuters", ""])), max_size=15))
def test_judging_only_the_units_a_scan_picks_finds_what_judging_all_does(lines):
    text = "\n".join(lines) + "\n"
    screened, plain = screened_and_plain()
    found = [(f.rule, f.start, f.end, f.edit) for f in screened.findings(Document(text))]
    assert found == [(f.rule, f.start, f.end, f.edit) for f in plain.findings(Document(text))]


@pytest.mark.parametrize("pattern, text", [
    (r"(?i)istanbul", "İSTANBUL"),  # re lower-cases İ to i
    (r"(?i)kelvin", "\u212aELVIN"),  # the Kelvin sign
    (r"(?i)[a-z]+ss", "ſtraſſe ſs"),  # long s
    (r"\w+ \d+\s", "naïve ٣\u2003"),  # Unicode \w, \d and \s
    (r"(?<!x)read(?= more)\b", "read more"),  # lookarounds and boundaries dropped
    (r"(?:^|(?<=[.!?] ))AP\b", "It rained. AP"),  # a lookbehind read as text
    (r"(?<=^a)b", "ab"),
    (r"a(?<=a)b", "ab"),  # a lookbehind after text is not read as more text
    (r"(?:(?<=a)b)+", "abb"),
    (r"^(a|b)\1$", "aa"),  # a backreference
    (r"x{2,500}", "x" * 300),  # a long bounded repeat
    (r"(?s)a.b", "a\u2028b"),
    (r"[^0-9]x", "éx"),
])
def test_a_screen_widens_what_re_reads_otherwise(pattern, text):
    assert re.search(pattern, text)
    source = screen_source(pattern)
    assert source is not None and Screen([source])([text]) == [0]


def test_a_whole_line_screen_holds_within_each_joined_text():
    # texts are scanned joined by newlines: a match must not lean on its neighbours
    source = screen_source(r"read more", whole=True)
    assert Screen([source])(["story", "read more", "end"]) == [0]
    assert Screen([source])(["story read", "more"]) == []


def test_a_users_pattern_gets_no_screen_and_still_matches():
    with untrusted():
        s = LineSettings(patterns=(r"[[:alpha:]]+ only",))
    assert s.screens is None
    engine = Engine([r for r in load_rules() if r.code == "NAV001"])
    (check,) = {c for _, c in engine.runners}
    assert s not in check.slots


def test_a_check_told_nothing_judges_unscreened():
    # a LineCheck that was never prepared (a plugin calling it directly) has no screen
    assert LineCheck().screen is None


@pytest.mark.parametrize("path", SAMPLES + sorted((HERE / "fixtures" / "clean").glob("*.txt")),
                         ids=lambda p: p.name)
def test_cleaning_with_the_screen_is_cleaning_without_it(path, monkeypatch):
    doc = document_from_bytes(path.read_bytes(), path.name)
    screened = clean_document(doc, DEFAULT)
    monkeypatch.setattr(LineCheck, "prepare", lambda self, settings: None)
    monkeypatch.setattr(CaptionCheck, "prepare", lambda self, settings: None)
    from auditor.api import engine_for

    engine_for.cache_clear()
    try:
        plain = clean_document(doc, DEFAULT)
    finally:
        engine_for.cache_clear()
    assert screened.text == plain.text and screened.records == plain.records


def test_the_default_engine_builds_its_screens():
    # RE2 refusing the set (too large a program) would leave every rule unscreened:
    # right, but slow; this catches it
    engine = DEFAULT.engine()
    built = {c.kind: (c.screen is not None, len(c.slots)) for _, c in engine.runners
             if c.kind in ("lines", "captions")}
    rules = {kind: sum(1 for r in engine.rules if r.check == kind) for kind in built}
    assert built == {kind: (True, rules[kind]) for kind in built}


def shipped_screens() -> list[list[str]]:
    """The sources of the default engine's many-pattern screens (lines, captions)."""
    engine = DEFAULT.engine()
    out = []
    for _, check in engine.runners:
        if check.kind in ("lines", "captions") and check.screen is not None:
            sources = check.screen.sources
            if sources not in out:
                out.append(sources)
    return out


def sample_runs() -> list[bytes]:
    """The samples' and fixtures' lines, folded too, joined eight at a time."""
    texts = []
    for path in SAMPLES:
        for line in path.read_text("utf-8", errors="replace").splitlines():
            texts += [line.strip(), fold(line)]
    texts += [case["text"] for case in CASES if isinstance(case.get("text"), str)]
    texts = [t.replace("\n", " ") for t in texts]
    return ["\n".join(texts[i:i + 8]).encode("utf-8", "replace") for i in range(0, len(texts), 8)]


def test_hyperscan_compiles_most_shipped_screens_and_selects_what_re2_selects(monkeypatch):
    """The compiled screens are a faster scan of the same patterns: on every run of
    sample and fixture lines they report exactly the patterns RE2 reports."""
    import auditor.patterns as patterns

    runs = sample_runs()
    for sources in shipped_screens():
        compiled = Screen(sources)
        assert compiled._compiled is not None and len(compiled._compiled.members) >= len(sources) - 1
        monkeypatch.setattr(patterns, "_hyperscan", lambda: None)
        plain = Screen(sources)
        monkeypatch.undo()
        assert plain._compiled is None
        for joined in runs:
            assert set(compiled.match(joined)) == set(plain.match(joined))


MENU_WORDS = ["home", "news", "sport", "weather", "more", "share", "video", "live", "back",
              "next", "zurück", "suche", "teilen", "menü", "gallery", "podcasts", "login"]


def menu_screen() -> str:
    """A screen shaped like the navigation rule's: a list of menu words, repeated with
    separators, as the whole line; and a few other choices beside it."""
    words = "|".join(MENU_WORDS)
    pattern = (rf"(?:(?:{words})(?:\s*[|/·]\s*(?:{words}))*|read more:|see also:"
               rf"|reading time:? \d+ min)")
    return screen_source(pattern, whole=True)


def menu_texts() -> list[str]:
    words = MENU_WORDS
    return ([*words, *(w.upper() for w in words), "read more:", "Reading time: 4 min",
             "See also:", "home | news", "news / sport / weather", "Suche · Teilen · Menü",
             "home news", "more than a menu", "Home | News", "back then", "next week | the story",
             "share | ", "live|video|podcasts|login", "", "reading time 12 minutes"]
            + [f"{a} | {b}" for a in words for b in words[::3]])


@pytest.mark.parametrize("limit", [300, 400])
def test_a_long_screen_in_parts_matches_where_it_matches_whole(limit):
    """A screen too long for hyperscan is compiled in parts: each part fits, and a
    text is matched by some part exactly when the whole screen matches it (the
    choices at its top and those of a group it opens with are split, nothing else)."""
    import re2

    source = menu_screen()
    parts = screen_parts(source, limit)
    assert len(parts) >= 2 and all(len(p.encode()) <= limit for p in parts)
    whole, pieces = re2.compile(source), [re2.compile(p) for p in parts]
    for text in menu_texts():
        assert bool(whole.search(text)) == any(p.search(text) for p in pieces), text


def test_a_screen_that_fits_or_offers_no_choice_stays_whole():
    source = menu_screen()
    assert screen_parts(source) == [source]  # short enough already
    repeated = screen_source("(?:" + "|".join(MENU_WORDS) + r")+\d", re.I)
    assert screen_parts(repeated, 50) == [repeated]  # a repeated group is not split


def test_the_shipped_lines_screen_is_compiled_by_hyperscan_whole():
    """The navigation phrase list, over hyperscan's length limit, goes in parts: every
    `lines` screen is then scanned by hyperscan and none by RE2."""
    engine = DEFAULT.engine()
    screen = next(c.screen for _, c in engine.runners if c.kind == "lines")
    assert max(len(s.encode()) for s in screen.sources) > 16000
    assert set(screen._compiled.reports) == set(range(len(screen.sources)))
    assert screen._sets == []


def test_a_compiled_screen_is_cached_and_a_broken_cache_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_CACHE", str(tmp_path / "cache"))
    sources = [screen_source(r"read more", 0), screen_source(r"(?:follow|like) us", 0)]
    first = Screen(sources)
    cached = list((tmp_path / "cache").iterdir())
    assert len(cached) == 1 and first._compiled is not None
    joined = b"a line\nplease follow us here"
    assert first.match(joined) == [1]
    assert Screen(sources).match(joined) == [1]  # loaded from the cache
    cached[0].write_bytes(b"\x00\x01 not a database")
    assert Screen(sources).match(joined) == [1]  # unreadable: compiled again
    monkeypatch.setenv("AUDITOR_CACHE", str(cached[0] / "a file, not a folder"))
    assert Screen(sources).match(joined) == [1]  # no cache to write: compiled each time


def test_a_compiled_screen_scans_from_many_threads_at_once():
    from concurrent.futures import ThreadPoolExecutor

    sources = shipped_screens()[0]
    screen = Screen(sources)
    runs = sample_runs()
    want = [sorted(screen.match(joined)) for joined in runs]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            assert list(pool.map(lambda j: sorted(screen.match(j)), runs)) == want



def judged_texts(settings: LineSettings, doc) -> set[tuple[int, str]]:
    """What one `lines` rule reads of a document on a pass, as its check does, with
    the body line it reads each in: a short line stripped and folded, a long
    line's short sentences and their folds, every line as it is for an inline rule."""
    out = set()
    for i, line in enumerate(doc.body_lines):
        text = line.stripped
        if settings.scope == "inline":
            out.add((i, line.text))
        elif len(text) <= 400 and len(text.split()) <= settings.max_words:
            out.update({(i, text), (i, fold(text))})
        elif settings.sentences:
            spans = _sentence_spans(line.text)
            if len(spans) > 1:
                out.update((i, t) for _, _, t, words in spans if words <= settings.max_words)
                out.update((i, fold(t)) for _, _, t, words in spans if words <= settings.max_words)
    return out


@pytest.mark.parametrize("path", SAMPLES + sorted((HERE / "fixtures" / "clean").glob("*.txt")),
                         ids=lambda p: p.name)
def test_the_scan_reads_every_text_a_rule_judges_under_its_line(path):
    # a line is judged only when one of its texts matches: each must be scanned as its own
    from auditor.checks.base import Context
    from auditor.checks.lines import _measured

    doc = document_from_bytes(path.read_bytes(), path.name)
    engine = Engine([r for r in load_rules() if r.check == "lines"])
    (check,) = {c for _, c in engine.runners}
    texts, owners = check._texts(_measured(doc, {}), Context())
    scanned = set(zip(owners, texts))
    for rule in LINE_RULES + INLINE_RULES:
        assert judged_texts(rule.settings, doc) <= scanned, rule.code

# ------------------------------------------------------------ the date finder's screen

def date_lines() -> list[str]:
    """Every line of the samples, the fixtures (rule cases, clean articles, records)
    and the packs' examples: what the date finder reads."""
    texts = [p.read_text("utf-8", errors="replace") for p in SAMPLES]
    texts += [p.read_text("utf-8") for p in sorted((HERE / "fixtures").rglob("*"))
              if p.suffix in (".txt", ".jsonl")]
    texts += [case.get("text", "") for case in CASES]
    texts += [e.before for rule in load_rules() for e in rule.examples]
    return sorted({line for text in texts for line in text.splitlines()})


def test_the_date_screen_selects_every_line_holding_a_date():
    may_match, search = datefind._screen(), datefind.pattern().search
    assert may_match is not None  # RE2 takes the date pattern's screen
    dated = [line for line in date_lines() if search(line)]
    assert len(dated) >= 100  # the fixtures hold dates of many shapes to check
    assert [line for line in dated if not may_match(line)] == []


def _date_texts():
    """Dates of every shape the finder reads, with month names of every locale in
    every case it matches, ordinals, spaces and separators, amid other text."""
    months = sorted(datefind._cased(datefind.names().months))
    day = st.integers(0, 39).map(str)
    year = st.sampled_from(["1899", "1999", "2025", "2099", "25", "69"])
    month = st.sampled_from(months)
    number = st.integers(0, 19).map(str)
    space = st.sampled_from([" ", "\u00a0", "\u202f", "\t", "", "  "])
    mark = st.sampled_from(["", ".", ",", "-", "–", "/", "年", "月", "日", "년", "월", "일",
                            "st", "th", "er", "º", " de ", " of ", "d'", "'"])
    piece = st.one_of(day, year, month, number, space, mark)
    edge = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
    return st.builds(lambda a, parts, b: a + "".join(parts) + b,
                     edge, st.lists(piece, min_size=2, max_size=8), edge)


@settings(max_examples=600, deadline=None)
@given(_date_texts())
def test_texts_made_of_date_parts_are_never_missed(text):
    line = text.split("\n")[0]
    if datefind.pattern().search(line):
        assert datefind._screen()(line), line


def test_a_lone_surrogate_is_read_by_the_date_finder_unscreened():
    assert datefind._screen()("13 March 2025 \ud800")
    assert [m.date for m in datefind.find_dates("13 March 2025 \ud800")] == [
        datefind.dt.date(2025, 3, 13)]


def test_dates_found_with_the_screen_are_the_dates_found_without_it(monkeypatch):
    texts = [p.read_text("utf-8", errors="replace") for p in SAMPLES]
    texts += [case.get("text", "") for case in CASES]
    screened = [datefind.find_dates(t) for t in texts]
    monkeypatch.setattr(datefind, "_screen", lambda: None)
    assert screened == [datefind.find_dates(t) for t in texts]
    assert sum(map(len, screened)) >= 50


# ------------------------------------------------------------ the comment thread's screen

COMMENT_RULES = [r for r in load_rules() if r.check == "comment-thread"]


def comment_texts() -> list[str]:
    """Whole texts, as the comment check reads them: the samples, the fixtures and
    the rule cases, and every pair of consecutive lines of them."""
    texts = [p.read_text("utf-8", errors="replace") for p in SAMPLES]
    texts += [p.read_text("utf-8") for p in sorted((HERE / "fixtures").rglob("*.txt"))]
    texts += [case.get("text", "") for case in CASES]
    pairs = [f"{a}\n{b}" for t in texts for a, b in zip(t.splitlines(), t.splitlines()[1:])]
    return texts + pairs


@pytest.mark.parametrize("rule", COMMENT_RULES, ids=lambda r: r.code)
def test_the_comment_screen_selects_every_text_with_a_stamp(rule):
    s = rule.settings
    assert s.screen is not None
    stamped = [t for t in comment_texts()
               if s.stamp_regex.search(t) or (s.signed_regex and s.signed_regex.search(t))]
    assert len(stamped) >= 10  # the fixtures hold threads to check
    assert [t for t in stamped if not s.screen([t])] == []


@pytest.mark.parametrize("pattern, text", [
    (r"a[^x]b", "a\nb"),  # a negated class reads a line break
    (r"(?s)a.b", "a\nb"),
    (r"a\Wb", "a\nb"),
    (r"(?m)^x[^y]*z$", "x\n\nz"),
])
def test_a_screen_of_many_lines_crosses_line_breaks_as_re_does(pattern, text):
    assert re.search(pattern, text)
    assert Screen([screen_source(pattern, one_line=False)])([text]) == [0]


def test_threads_found_with_the_screen_are_those_found_without_it(monkeypatch):
    paths = SAMPLES + sorted((HERE / "fixtures" / "clean").glob("*.txt"))
    docs = [document_from_bytes(p.read_bytes(), p.name) for p in paths]
    docs += [document_from_bytes(case["text"].encode(), f"case{i}")
             for i, case in enumerate(CASES) if "text" in case]
    screened = [clean_document(d, DEFAULT).records for d in docs]
    for rule, _ in DEFAULT.engine().runners:
        if rule.check == "comment-thread":  # the screen, worked out once, forgotten
            monkeypatch.setitem(vars(rule.settings), "screen", None)
    assert screened == [clean_document(d, DEFAULT).records for d in docs]
    assert any(r["rule"] == "NAV205" for records in screened for r in records)


LOOKED_BEHIND = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(]?[A-Z0-9])")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=list(".!?…\"”’)]“‘( \t\u00a0\u2003aA0Zz\nÉ"), max_size=40))
def test_sentence_breaks_are_those_a_look_behind_the_end_mark_finds(text):
    # the break pattern opens on the end mark, for speed; its break is what follows it
    from auditor.checks.lines import SENTENCE_BREAK_RE

    assert [m.span(1) for m in SENTENCE_BREAK_RE.finditer(text)] == \
        [m.span() for m in LOOKED_BEHIND.finditer(text)]


def test_a_compiled_scan_that_fails_selects_every_pattern_it_stands_for(monkeypatch):
    screen = Screen(shipped_screens()[0])
    members = screen._compiled.members

    def broken(joined):
        raise RuntimeError("scan failed")

    monkeypatch.setattr(screen._compiled, "match", broken)
    assert set(members) <= set(screen.match(b"nothing here"))
