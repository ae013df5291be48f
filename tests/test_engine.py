"""The engine's promises: deterministic resolution of overlapping edits, edits in
original coordinates, and a cleaned text that cleaning again leaves alone."""
from hypothesis import given, settings, strategies as st

from auditor.document import Document
from auditor.engine import FAILED, Engine, apply_edits
from auditor.rulepack import load_rules

ENGINE = Engine(load_rules())

PROSE = [
    "Russian forces have driven the Ukrainian army out of the biggest town in the region, officials said.",
    "Kremlin spokesman Dmitry Peskov said on Thursday that the talks had not started yet.",
    "The U.S. on Tuesday lifted its suspension of military aid after senior officials met in Jeddah.",
    "Ukraine launched the raid in a bid to counter the glum news from the front line.",
]
NOISE = ["All sections", "Follow", "Short Url", "Most Popular", "read more:", "Updated 13 March 2025",
         "March 13, 2025", "By Jane Doe", "The Associated Press, Associated Press",
         "In this image made from video, Putin speaks in Kursk. (AP Photo, File)", "Advertisement"]
WRAPPED = ["The", "Russian ministry of defence", "announced on Thursday that it regained control of",
           "Sudzha", ", the largest town in the region."]


def test_overlapping_removals_merge_and_are_all_reported():
    text = " date 2025-03-13 All sections\nMarch 13, 2025\n\nTitle of the story here\n\nFollow\n\nA sentence of the article that stays.\n"
    result = ENGINE.run(Document(text))
    assert result.cleaned == " date 2025-03-13\nTitle of the story here\n\nA sentence of the article that stays.\n"
    assert apply_edits(text, result.edits) == result.cleaned
    edits = result.edits
    assert all(a.end <= b.start for a, b in zip(edits, edits[1:]))
    acted = {(f.name, f.action) for f in result.findings}
    assert ("navigation-line", "removed") in acted and ("date-line", "removed") in acted


def test_header_line_is_kept_in_its_form():
    text = " date 2024-12-03 All sections\nBody text of the article, which stays.\n"
    cleaned = ENGINE.run(Document(text)).cleaned
    assert cleaned.splitlines()[0] == " date 2024-12-03"


def test_no_header_is_invented():
    text = "Body text of the article, which stays.\n"
    assert ENGINE.run(Document(text)).cleaned == text


articles = st.lists(st.sampled_from(PROSE + NOISE + WRAPPED + [""]), min_size=0, max_size=25).map(
    lambda lines: "\n".join(lines) + "\n")
headers = st.sampled_from(["", " date 2025-03-13\n", " date 2025-03-13 ", " date 2031-99-01\n"])


@settings(max_examples=150, deadline=None)
@given(headers, articles)
def test_properties_on_assembled_articles(header, body):
    text = header + body
    result = ENGINE.run(Document(text))
    assert not [f.message for f in result.findings if f.rule == FAILED]
    edits = result.edits
    assert all(0 <= e.start <= e.end <= len(text) for e in edits)
    assert all(a.end <= b.start for a, b in zip(edits, edits[1:]))
    assert apply_edits(text, edits) == result.cleaned
    # fixing twice changes nothing
    assert ENGINE.run(Document(result.cleaned)).cleaned == result.cleaned
    # surviving prose lines keep their order
    before = iter(line.text for line in Document(text).lines if line.text in PROSE)
    after = [line for line in result.cleaned.splitlines() if line in PROSE]
    assert all(any(a == b for b in before) for a in after)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_no_exception_on_any_text(text):
    result = ENGINE.run(Document(text))
    assert not [f.message for f in result.findings if f.rule == FAILED]
    assert apply_edits(text, result.edits) == result.cleaned


# Text made of numbers: calendars, timetables, results tables, impossible dates, and
# lines in several scripts, where date finding and shape rules meet their edge cases.
MONTHS = ["Oktober 2020", "November 2020", "Februar 2021", "March 2025", "31. November 2020",
          "30. Februar 2021", "29.02.2023", "2025-02-30", "31/04/2024", "13 марта 2025",
          "2025年3月13日", "Am 31. November 2020 war es kalt.", "Mo Di Mi Do Fr Sa So",
          "Mon Tue Wed Thu Fri Sat Sun"]
CELLS = st.lists(st.one_of(st.integers(0, 40).map(lambda n: f"{n:02d}"),
                           st.sampled_from(["-", "–", ":", "1:0", "2:1", "12.5", "€", "%", "|"])),
                 min_size=1, max_size=12).map(" ".join)
SCRIPTS = ["Правительство объявило о новых мерах.", "الحكومة أعلنت عن إجراءات جديدة.",
           "政府は新たな措置を発表した。", "Η κυβέρνηση ανακοίνωσε νέα μέτρα.", "정부는 새로운 조치를 발표했다."]
numeric_lines = st.one_of(st.sampled_from(MONTHS + SCRIPTS + PROSE), CELLS)
numeric_texts = st.lists(numeric_lines, min_size=1, max_size=30).map(lambda ls: "\n".join(ls) + "\n")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["", " date 2020-11-02\n", " date 2021-02-28 ", " date 2025-03-13\n"]),
       numeric_texts, st.booleans())
def test_no_rule_fails_on_calendars_tables_and_mixed_scripts(header, body, one_line):
    text = header + (body.replace("\n", " ") + "\n" if one_line else body)
    result = ENGINE.run(Document(text))
    assert not [f.message for f in result.findings if f.rule == FAILED]
    assert apply_edits(text, result.edits) == result.cleaned
    assert ENGINE.run(Document(result.cleaned)).cleaned == result.cleaned


def test_an_impossible_date_without_a_header_is_reported_not_raised():
    for text in ("Am 31. November 2020 war es kalt.\n",
                 "Oktober 2020 Mo Di Mi Do Fr Sa So 01 02 03 30 31 November 2020 Mo Di 01 02\n"):
        result = ENGINE.run(Document(text))
        assert not [f.message for f in result.findings if f.rule == FAILED]
    names = {f.name for f in ENGINE.run(Document("Am 31. November 2020 war es kalt.\n")).findings}
    assert "implausible-date" in names


def test_a_fix_inside_a_joined_sentence_is_applied_in_one_clean():
    text = ("Trump sent a similar message ahead of the elections, and everything planned, go out\n"
            "and vote today, [he said][2] at [a rally][3] in Louisiana last week.\n")
    result = ENGINE.run(Document(text))
    assert "[he said]" not in result.cleaned and "he said at a rally" in result.cleaned
    assert "\n" not in result.cleaned.rstrip("\n")  # the wrapped sentence is one line
    assert ENGINE.run(Document(result.cleaned)).cleaned == result.cleaned
    assert apply_edits(text, result.edits) == result.cleaned


def test_the_headline_stays_unless_its_rule_is_selected_and_is_always_the_title():
    from auditor.api import RuleOptions, clean_document

    text = (" date 2025-03-13\nUS envoy arrives in Moscow for ceasefire talks\n\n"
            "The envoy arrived in Moscow on Thursday for talks on a ceasefire, officials said.\n")
    kept = clean_document(Document(text, "a"))
    dropped = clean_document(Document(text, "a"), RuleOptions(extend_select=("headline-line",)))
    assert "US envoy arrives" in kept.text and "US envoy arrives" not in dropped.text
    assert dropped.text.startswith(" date 2025-03-13\nThe envoy arrived")
    assert kept.meta["title"] == dropped.meta["title"] == "US envoy arrives in Moscow for ceasefire talks"


def test_word_counts_are_kept_for_short_texts_only():
    from auditor.document import SHORT_TEXT, _count_short, count_words

    _count_short.cache_clear()
    long_line = "word " * SHORT_TEXT
    assert count_words(long_line) == SHORT_TEXT and count_words("a b  c\t") == 3
    assert _count_short.cache_info().currsize == 1  # the long line is counted, not kept
    assert _count_short.cache_info().maxsize == 1 << 14


edit_lists = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12), st.sampled_from(["", "x", "a\nb", "\n\n"])),
                      max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["", " date 2025-03-13 All sections\n", " date 2025-03-13\n"]),
       st.lists(st.sampled_from(PROSE + NOISE + ["", "\r"]), max_size=12), edit_lists)
def test_line_origins_are_those_the_mapper_gives_line_by_line(header, lines, spans):
    """Which lines a later pass has already seen is told from their places in the
    original text, mapped a run of lines at a time; the same as one by one."""
    from auditor.engine import _Mapper, _merge
    from auditor.findings import Edit

    original = header + "\n".join(lines)
    edits, pos = [], 0
    for gap, size, replacement in spans:  # sorted, non-overlapping, touching allowed
        start = min(pos + gap, len(original))
        end = min(start + size, len(original))
        edits.append(Edit(start, end, replacement))
        pos = end
    edits = [e for e in _merge(edits) if e.start < e.end or e.replacement]
    mapper = _Mapper(edits)
    edited = Document(apply_edits(original, edits))
    assert mapper.origins(edited) == [mapper(line.start) for line in edited.lines]
