"""APP001, appended stories: the user's samples, the signals one by one, the pack's
settings, and properties over assembled articles (it only ever cuts a tail)."""
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from auditor.checks import appended as app
from auditor.document import Document
from auditor.engine import Engine
from auditor.rulepack import PackError, load_pack, load_rules, select_rules

SAMPLES = Path(__file__).parent.parent / "sample_data"
RULE = select_rules(load_rules(), ["APP001"])[0]
SETTINGS = RULE.settings
ENGINE = Engine([RULE])


def run(text: str):
    return ENGINE.run(Document(text, "case.txt"))


def units(text: str) -> app.Units:
    return app.Units(Document(text), SETTINGS)


def line_of(u: app.Units, text: str) -> int:
    return next(i for i, line in enumerate(u.lines) if line.stripped == text)


# ---------------------------------------------------------------- the samples

@pytest.mark.parametrize("name,first_line,headline", [
    ("002_f6cdbc7b12bc632a.txt", 60,
     "Russia says peacekeepers in Ukraine mean ‘direct armed conflict’"),
    ("004_cc470b77ab695863.txt", 40,
     "Russia says foreign forces in Ukraine would be ‘legitimate targets’"),
])
def test_sample_with_an_appended_story_is_cut_from_its_headline(name, first_line, headline):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    result = run(text)
    [finding] = result.findings
    assert (finding.rule, finding.category, finding.action) == ("APP001", "appended", "removed")
    assert finding.line == first_line
    assert finding.end_line == len(text.rstrip("\n").split("\n"))
    assert text.split("\n")[first_line - 1] == headline
    assert headline not in result.cleaned
    assert text.startswith(result.cleaned.rstrip("\n"))
    assert 0.55 <= finding.confidence <= 0.99


def test_sample_002_message_names_its_evidence():
    finding = run((SAMPLES / "002_f6cdbc7b12bc632a.txt").read_text(encoding="utf-8")).findings[0]
    assert "restate it as a lede" in finding.message
    assert "'Most Popular'" in finding.message
    assert "no other subheading" in finding.message


def test_sample_004_message_names_metadata_and_dates():
    finding = run((SAMPLES / "004_cc470b77ab695863.txt").read_text(encoding="utf-8")).findings[0]
    assert "'Updated 03 February 2026'" in finding.message
    assert "dated 2026-02-03, the article 2025-03-13" in finding.message


@pytest.mark.parametrize("name", ["000_c09f9be5b21b3bf1.txt", "001_fbf9d7aa774f525d.txt",
                                  "003_07ae68b80a89e615.txt"])
def test_sample_without_an_appended_story_is_left_alone(name):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    result = run(text)
    assert result.findings == []
    assert result.cleaned == text


# ---------------------------------------------------------------- the pieces

def test_content_words_drop_stopwords_numbers_and_short_words_and_cut_stems():
    words = app.content_words("The 2019 reviews said it was the reviewers' favourite", SETTINGS.stopword_set)
    assert words == ["review", "review", "favour"]


def test_content_words_pair_chinese_and_japanese_characters():
    assert app.content_words("東京都", frozenset()) == ["東京", "京都"]


def test_word_count_counts_unspaced_characters_by_pairs():
    assert app.word_count("two words") == 2
    assert app.word_count("東京都庁") == 1 + 2


def test_overlap_is_one_for_the_same_words_and_zero_for_disjoint_ones():
    u = units("alpha beta gamma\ndelta epsilon zeta\nalpha beta gamma\n")
    same = Counter(["alpha", "beta"])
    assert u.overlap(same, Counter(["alpha", "beta", "gamma"])) == 1.0
    assert u.overlap(same, Counter(["delta", "epsilo"])) == 0.0
    assert u.overlap(Counter(), Counter(["alpha"])) is None


def test_overlap_measures_the_smaller_side():
    u = units("alpha beta gamma\ndelta epsilon zeta\nalpha beta gamma\n")
    big = Counter(["alpha", "beta", "gamma", "delta", "epsilo", "zeta"])
    assert u.overlap(big, Counter(["alpha"])) == 1.0
    assert u.overlap(Counter(["alpha"]), big) == 1.0


@pytest.mark.parametrize("line,shaped", [
    ("Feather duvet left gardener breathless for months", True),
    ("What is the value of drugs that come to the border?", True),
    ("The move was over their invitation by the police.", False),   # a sentence
    ("- Sign up for a streaming account for ten dollars", False),   # a list item
    ("Yersinia pestis causes the plague (Image: GETTY)", False),    # a caption
    ("Defence", False),                                             # one word
    ("If it seemed like the president had written the letter himself, it's because he had!",
     False),                                                        # a long exclamation
])
def test_headline_shape(line, shaped):
    u = units(f"A first paragraph of the article that ends a sentence.\n\n{line}\n\nMore text.\n")
    assert app.headline_shaped(u, line_of(u, line), SETTINGS) is shaped


def test_a_fragment_of_a_wrapped_paragraph_is_not_a_headline():
    text = ("A paragraph wrapped at eighty columns ends a sentence here.\n"
            "Another sentence starts and runs on past the margin\n"
            "of the page and ends on this line.\n")
    u = units(text)
    assert not app.headline_shaped(u, 1, SETTINGS)


def test_echo_counts_headline_words_that_the_lede_repeats():
    text = ("Body of the article.\n\nGardener breathless after feather duvet\n\n"
            "Doctors in Aberdeen have traced the gardener's breathlessness to his new feather duvet.\n")
    u = units(text)
    k = line_of(u, "Gardener breathless after feather duvet")
    # all four words ("after" is a stopword; "breathless" meets "breathlessness" by its
    # stem), smoothed by one
    assert app.echo(u, k, SETTINGS) == pytest.approx(4 / 5)


def test_metadata_block_lines_are_recognised():
    text = ("Body.\n\nRussia warns foreign troops would be targets\nUpdated 03 February 2026\n"
            "Follow\nRussia warns foreign troops would be targets\nBy Jane Doe\n"
            "MOSCOW: Russia said on Tuesday that any foreign troops would be legitimate targets.\n")
    u = units(text)
    k = line_of(u, "Russia warns foreign troops would be targets")
    assert app.metadata_lines(u, k, SETTINGS) == [
        "Updated 03 February 2026", "Follow", "Russia warns foreign troops would be targets",
        "By Jane Doe"]


def test_a_trailer_right_under_the_line_is_the_teaser_s_own_link():
    text = ("Body of the article that ends a sentence.\n\nAnother story's headline here\nRead more\n"
            "A paragraph of a dozen words or more that ends a sentence right here.\n"
            "Another paragraph of a dozen words or more that ends a sentence right here.\n")
    u = units(text)
    assert app.trailer(u, line_of(u, "Another story's headline here"), SETTINGS) is None
    u = units(text + "Most Popular\n")
    assert app.trailer(u, line_of(u, "Another story's headline here"), SETTINGS) == "Most Popular"


def test_a_line_the_article_already_showed_is_no_new_headline():
    story = ("Doctors traced a gardener's breathlessness to the goose feathers in his duvet and pillows.\n\n"
             "The patient recovered after the bedding was replaced and a short course of steroids, "
             "the doctors wrote.\n")
    body = ("Feather duvet left gardener breathless\n\n"
            "The city council approved the budget for the new bicycle lanes on Tuesday after a long debate.\n\n"
            "Council members said the lanes would connect the campus with the station and cost four million.\n\n"
            "Shop owners had asked the council to keep the parking spaces, but a majority voted for the plan.\n\n")
    text = body + "Feather duvet left gardener breathless\n\n" + story
    assert run(text).findings == []
    assert run(body.split("\n\n", 1)[1] + "Feather duvet left gardener breathless\n\n" + story).findings


# ---------------------------------------------------------------- the pack

def test_pack_rejects_a_pattern_that_does_not_compile(tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text('''[[rule]]
code = "APP901"
name = "bad-appended"
category = "appended"
severity = "warning"
check = "appended"
summary = "s"
why = "w"
[rule.params]
metadata_patterns = ["(unclosed"]
''', encoding="utf-8")
    with pytest.raises(PackError, match="metadata_patterns|does not compile"):
        load_pack(pack)


@pytest.mark.parametrize("params", [{"overlap_points": [[1.5, 2.0]]}, {"min_echo": 2},
                                    {"min_headline_words": 5, "max_headline_words": 3}])
def test_settings_reject_values_out_of_range(params):
    with pytest.raises(ValueError):
        app.AppendedSettings(**params)


def test_thresholds_come_from_the_pack():
    assert SETTINGS.min_score == 3.0 and SETTINGS.min_signals == 2
    assert "most popular" in SETTINGS.trailer_set
    assert "the" in SETTINGS.stopword_set


# ---------------------------------------------------------------- properties

ARTICLE = [
    "The city council approved the budget for the new bicycle lanes on Tuesday after a long debate.",
    "Council members said the lanes would connect the university campus with the central station.",
    "Shop owners on Elm Street had asked the council to keep the parking spaces for their customers.",
    "Construction of the bicycle lanes is expected to begin in September, the council said on Tuesday.",
]
OTHER = [
    "Doctors traced a retired gardener's breathlessness to the goose feathers in his new duvet.",
    "The patient recovered after the bedding was replaced and a short course of steroids, they wrote.",
    "The doctors said feather bedding rarely causes such trouble but should be asked about.",
]
HEADLINES = ["Feather duvet left gardener breathless", "Gardener's duvet made him ill"]
TEASERS = ["Astronomers find a new planet the size of Neptune", "Council approves bicycle lanes budget",
           "Traffic diverted during the works", "Read more: Town votes on parking fees"]
NOISE = ["Follow", "Most Popular", "Read more:", "Updated 03 February 2026", "By Jane Doe",
         "MOSCOW: Russia said on Tuesday that foreign troops would be targets.", ""]


@st.composite
def articles(draw):
    """An article, perhaps another story's headline and paragraphs after it, with
    page furniture and teasers of other stories sprinkled anywhere."""
    body = draw(st.permutations(ARTICLE))[:draw(st.integers(1, len(ARTICLE)))]
    tail = []
    if draw(st.booleans()):
        tail = [draw(st.sampled_from(HEADLINES))]
        tail += draw(st.lists(st.sampled_from(NOISE), max_size=2))
        tail += draw(st.permutations(OTHER))[:draw(st.integers(1, len(OTHER)))]
    lines = body + tail
    for _ in range(draw(st.integers(0, 3))):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(NOISE + TEASERS)))
    header = draw(st.sampled_from(["", " date 2024-05-02\n"]))
    sep = draw(st.sampled_from(["\n", "\n\n"]))
    return header + sep.join(lines) + draw(st.sampled_from(["", "\n"]))


@hsettings(max_examples=300, deadline=None)
@given(articles())
def test_it_only_ever_cuts_a_tail_once_and_never_the_article(text):
    result = run(text)
    mine = [f for f in result.findings if f.rule == "APP001"]
    assert len(mine) <= 1
    for edit in result.edits:
        assert 0 <= edit.start < edit.end <= len(text)
        assert not text[edit.end:].strip()
    assert text.startswith(result.cleaned.rstrip("\n"))
    assert all(p in result.cleaned for p in ARTICLE if p in text)
    if text.startswith(" date "):
        assert result.cleaned.startswith(" date 2024-05-02")


def every_candidate(u: app.Units) -> list[int]:
    """The lines `weigh` can accept by their counts and shape, each line tried."""
    return [k for k in range(1, len(u) - 1)
            if app.shaped_without_words(u, k, SETTINGS) and app.plausible_split(u, k, SETTINGS)]


@hsettings(max_examples=300, deadline=None)
@given(articles(), st.integers(1, 4), st.integers(0, 2))
def test_candidates_are_every_line_that_could_split(text, scale, drop):
    # the counts bisected over move one way with the line: a bound never skips one
    text = "\n".join(line * scale if len(line) > 40 else line
                     for line in text.splitlines()[drop:])
    u = units(text)
    assert app.candidates(u, SETTINGS) == every_candidate(u)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_candidates_of_the_samples_are_every_line_that_could_split(path):
    u = units(path.read_text("utf-8", errors="replace"))
    assert app.candidates(u, SETTINGS) == every_candidate(u)


def passes(b) -> bool:
    return b is not None and b.score >= SETTINGS.min_score and b.signals >= SETTINGS.min_signals


def weighed_lazily_and_fully(u: app.Units) -> list[tuple]:
    """Each candidate of `u` weighed as the rule does, and with all of its evidence."""
    lazy = [app.weigh(u, k, SETTINGS) for k in app.candidates(u, SETTINGS)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(app, "can_cut", lambda *_: True)
        full = [app.weigh(u, k, SETTINGS) for k in app.candidates(u, SETTINGS)]
    return list(zip(lazy, full))


def assert_lazy_weighing_misses_no_cut(u: app.Units) -> None:
    for lazy, full in weighed_lazily_and_fully(u):
        assert lazy is None or lazy == full  # what is weighed is weighed whole
        if passes(full):
            assert lazy == full  # a cut is never left unweighed


@hsettings(max_examples=300, deadline=None)
@given(articles())
def test_a_boundary_left_unweighed_could_not_have_made_a_cut(text):
    assert_lazy_weighing_misses_no_cut(units(text))


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_the_samples_cuts_are_weighed_whole(path):
    u = units(path.read_text("utf-8", errors="replace"))
    assert_lazy_weighing_misses_no_cut(u)
    pairs = weighed_lazily_and_fully(u)
    if path.name in ("002_f6cdbc7b12bc632a.txt", "004_cc470b77ab695863.txt"):
        assert any(passes(full) for _, full in pairs)  # the appended story is among them
    assert sum(lazy is None for lazy, _ in pairs) >= sum(full is None for _, full in pairs)


def test_a_line_is_folded_once_per_document_for_all_the_rules(monkeypatch):
    """The `lines` rules and APP001 read the same folded lines: one fold of each
    line text per document (kept across its passes), shared, not one per family."""
    from auditor.api import DEFAULT, clean_document
    from auditor.checks import lines
    from auditor.load import document_from_bytes

    docs = [document_from_bytes(p.read_bytes(), p.name) for p in sorted(SAMPLES.glob("*.txt"))]
    # APP001 reads its trailer lines from the first line it weighs; these documents
    # make it weigh one, with trailer lines the `lines` rules fold too
    docs.append(Document("\n\n".join(
        [" ".join(["The council voted on the harbour plan after a long debate."] * 3)] * 4
        + ["Storm closes mountain roads", "Share", "Related"]
        + [" ".join(["Snow fell overnight across the northern passes again."] * 3)] * 2
        + ["Share", "Comments"]), "made.txt"))
    for doc in docs:
        clean_document(doc, DEFAULT)  # patterns and settings' own folds built
    folded: Counter = Counter()
    real = lines.fold

    def counting(text: str) -> str:
        folded[text] += 1
        return real(text)

    monkeypatch.setattr(lines, "fold", counting)
    monkeypatch.setattr(app, "fold", counting)
    for doc in docs:
        folded.clear()
        clean_document(doc, DEFAULT)
        assert folded and max(folded.values()) == 1, (doc.id, folded.most_common(3))
