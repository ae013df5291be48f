"""Shape, caption and corpus-statistics rules: corpus stats API, the corpus rule,
and the user's sample articles (repository files only)."""
from __future__ import annotations

from pathlib import Path

from auditor.corpusstats import LineStats, collect, source_of, write_pack
from auditor.document import Document
from auditor.engine import Engine
from auditor.rulepack import load_pack, load_rules, select_rules

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
MINE = ["NAV", "LAY101", "LAY102", "LAY103", "CAP"]


def site_docs(site: str, n: int) -> list[Document]:
    return [Document(f"Site Menu\nStory {i}: the council met on day {i} and voted.\n"
                     f"Follow us\nHe said.\n", f"{site}/{i}.txt") for i in range(n)]


def test_source_is_the_top_folder():
    assert source_of("siteA/2024/a.txt") == "siteA"
    assert source_of("a.txt") == ""


def test_stats_merge_equals_one_pass():
    docs = site_docs("a", 6) + site_docs("b", 3)
    whole = collect(docs)
    parts = collect(docs[:4]).merge(collect(docs[4:]))
    assert parts.docs == whole.docs
    assert parts.counts == whole.counts
    assert parts.doc_count("Follow us", "a") == 6
    assert parts.doc_count("follow   US") == 9
    back = LineStats.from_json(parts.to_json())
    assert back.counts == parts.counts and back.texts == parts.texts


def unique_docs(site: str, words: list[str]) -> list[Document]:
    return [Document(f"Site Menu\nThe {w} council met and voted.\n", f"{site}/{w}.txt")
            for w in words]


def test_merged_stats_keep_the_text_of_recurring_lines_only():
    docs = unique_docs("a", ["town", "city", "county"])
    merged = LineStats().merge(collect(docs[:1])).merge(collect(docs[1:]))
    assert list(merged.texts.values()) == ["Site Menu"]
    assert merged.doc_count("The city council met and voted.", "a") == 1
    assert merged.doc_count("Site Menu", "a") == 3


def letters(n: int) -> str:
    """`n` spelled in letters (lines are counted with their digits as 0)."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out += "abcdefghijklmnopqrstuvwxyz"[r]
        if not n:
            return out


def test_bounded_counting_forgets_one_off_lines_and_keeps_recurring_ones():
    # one big source, batch after batch: every document has a line of its own, the
    # menu line, and one in ten a "Sponsored" line; a small source beside it
    def batch(start: int) -> LineStats:
        return collect(Document(f"Site Menu\nOnly here: {letters(n)}\n"
                                + ("Sponsored\n" if n % 10 == 0 else ""), f"big/{n}.txt")
                       for n in range(start, start + 20))

    small = collect(Document(f"Menu\nOnce only {letters(i)}\n", f"small/{i}.txt")
                    for i in range(30))
    exact, bounded = LineStats().merge(small), LineStats(bucket=100).merge(small)
    sizes = []
    for start in range(0, 2000, 20):
        exact.merge(batch(start))
        bounded.merge(batch(start))
        sizes.append(len(bounded.counts["big"]))
    assert len(exact.counts["big"]) == 2002  # the exact table grows with the corpus
    assert max(sizes) <= 2 + 2 * 100  # the bounded one holds about two buckets' worth
    assert bounded.doc_count("Site Menu", "big") == 2000  # recurring lines: exact counts
    assert bounded.doc_count("Sponsored", "big") == 200
    assert bounded.doc_count("Only here: abc") == 0  # a one-off line is forgotten
    assert bounded.counts["small"] == exact.counts["small"]  # under one bucket: exact
    assert bounded.texts.keys() <= {k for c in bounded.counts.values() for k in c}


def test_pruning_keeps_what_the_rules_thresholds_can_use():
    words = ["town", "city", "county", "state", "village", "district"]
    docs = unique_docs("a", words) + [Document("Site Menu\nOther news.\n", "b/1.txt")]
    docs.append(Document("Rare line here\n", "a/x.txt"))
    docs.append(Document("Rare line here\n", "a/y.txt"))
    pruned = collect(docs).prune(min_docs=2, min_share=0.5)  # a: 8 documents, floor 4
    assert pruned.doc_count("Site Menu", "a") == 6
    assert pruned.doc_count("Rare line here", "a") == 0  # in 2 of 8: below half
    assert pruned.doc_count("Site Menu", "b") == 0  # once in b: below the floor of 2
    assert pruned.doc_count("The town council met and voted.") == 0
    assert collect(docs).prune(min_docs=2).doc_count("Rare line here", "a") == 2
    stricter = collect(docs).prune(min_docs=7)
    assert stricter.doc_count("Site Menu", "a") == 0 and not stricter.texts


def test_learned_pack_loads_and_keeps_sentences_out(tmp_path):
    stats = collect(site_docs("a", 6))
    path = write_pack(stats, tmp_path / "learned.toml", min_docs=5)
    text = path.read_text(encoding="utf-8")
    assert "# 6 documents; a: 6" in text
    (rule,) = load_pack(path)
    assert set(rule.settings.phrases) == {"Site Menu", "Follow us"}  # not "He said."
    result = Engine([rule]).run(Document(rule.examples[0].before, "x.txt"))
    assert result.cleaned == rule.examples[0].after


def test_empty_stats_still_write_a_loadable_pack(tmp_path):
    (rule,) = load_pack(write_pack(LineStats(), tmp_path / "none.toml"))
    assert Engine([rule]).run(Document("Menu\n", "x.txt")).cleaned == "Menu\n"


def test_corpus_rule_removes_recurring_lines_only_with_stats():
    rules = load_rules()
    engine = Engine(select_rules(rules, ["NAV150"]))
    docs = site_docs("a", 6)
    stats = collect(docs)
    assert engine.run(docs[0]).cleaned == docs[0].text  # no stats: nothing
    cleaned = engine.run(docs[0], corpus=stats).cleaned
    assert cleaned == "Story 0: the council met on day 0 and voted.\nHe said.\n"
    other = Document("Site Menu\nA line.\n", "b/1.txt")  # another source: its own counts
    assert engine.run(other, corpus=stats).cleaned == other.text


def mine() -> Engine:
    return Engine(select_rules(load_rules(), MINE))


def test_sample_captions_and_navigation_go():
    engine = mine()
    gone = {
        "001_fbf9d7aa774f525d.txt": ["In this image made from video released", "FILE - A Ukrainian",
                                     "All sections"],
        "002_f6cdbc7b12bc632a.txt": ["This grab taken from", "(AP/Alex Brandon)", "Most Popular",
                                     "read more:"],
        "003_07ae68b80a89e615.txt": ["(Photo/NYT News Service)"],
        "000_c09f9be5b21b3bf1.txt": ["Russian Pool/Reuters"],
        "004_cc470b77ab695863.txt": ["Short Url", "\nFollow\n"],
    }
    for name, needles in gone.items():
        text = (SAMPLES / name).read_text(encoding="utf-8")
        cleaned = engine.run(Document(text, name)).cleaned
        for needle in needles:
            assert needle in text and needle not in cleaned, (name, needle)


def test_sample_paragraphs_stay():
    engine = mine()
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        cleaned = engine.run(Document(text, path.name)).cleaned
        kept = set(cleaned.splitlines())
        for line in text.splitlines()[1:]:
            # every paragraph of running text survives (captions end in a credit)
            if len(line.split()) >= 25 and line.rstrip().endswith((".", "”", '"')):
                assert line in kept, (path.name, line[:80])


def test_the_alphanumeric_test_is_str_isalnum_for_every_character():
    import sys

    from auditor.checks.boilerplate import ALNUM_RE

    assert [c for c in map(chr, range(sys.maxunicode + 1))
            if (ALNUM_RE.match(c) is not None) != c.isalnum()] == []
