"""The engine's promises: deterministic resolution of overlapping edits, edits in
original coordinates, and a cleaned text that cleaning again leaves alone."""
from hypothesis import given, settings, strategies as st

from auditor.document import Document
from auditor.engine import Engine, apply_edits
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
    assert apply_edits(text, result.edits) == result.cleaned


def test_a_fix_inside_a_joined_sentence_is_applied_in_one_clean():
    text = ("Trump sent a similar message ahead of the elections, and everything planned, go out\n"
            "and vote today, [he said][2] at [a rally][3] in Louisiana last week.\n")
    result = ENGINE.run(Document(text))
    assert "[he said]" not in result.cleaned and "he said at a rally" in result.cleaned
    assert "\n" not in result.cleaned.rstrip("\n")  # the wrapped sentence is one line
    assert ENGINE.run(Document(result.cleaned)).cleaned == result.cleaned
    assert apply_edits(text, result.edits) == result.cleaned
