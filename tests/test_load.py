"""Decoding: UTF-8 fast path, detected legacy encodings, BOMs and broken bytes."""
from hypothesis import given, settings, strategies as st

from auditor.document import Document
from auditor.engine import Engine
from auditor.load import decode, document_from_bytes
from auditor.rulepack import load_rules, select_rules

TEXT = " date 2025-03-13\nKremlin spokesman Dmitry Peskov said the talks would start “soon”.\n"


def encoding_findings(data: bytes):
    engine = Engine(select_rules(load_rules(), ["ENC"]))
    return engine.run(document_from_bytes(data, "a.txt")).findings


def test_utf8_is_the_fast_path():
    text, how = decode(TEXT.encode("utf-8"))
    assert text == TEXT
    assert how.fast_path
    assert encoding_findings(TEXT.encode("utf-8")) == []


def test_cp1252_is_detected_and_reported():
    latin = "Le président français a déclaré jeudi que les négociations étaient très délicates.\n" * 5
    data = latin.encode("cp1252")
    text, how = decode(data)
    assert text == latin
    assert how.encoding in ("cp1252", "windows-1252", "iso-8859-1", "latin-1", "iso8859-1")
    names = [f.name for f in encoding_findings(data)]
    assert names == ["legacy-encoding"]


def test_utf16_with_bom():
    data = TEXT.encode("utf-16")
    text, how = decode(data)
    assert text == TEXT and how.bom and how.encoding == "utf-16"


def test_utf8_bom_is_dropped_and_reported():
    text, how = decode(b"\xef\xbb\xbf" + TEXT.encode())
    assert text == TEXT and how.bom
    assert [f.name for f in encoding_findings(b"\xef\xbb\xbf" + TEXT.encode())] == ["legacy-encoding"]


def test_invalid_bytes_in_the_middle_keep_the_rest():
    data = ("Russian forces " * 40).encode() + b"\xff\xfe\xfa" + b" officials said.\n"
    text, how = decode(data)
    assert text.startswith("Russian forces ") and text.endswith(" officials said.\n")
    assert "lost-bytes" in [f.name for f in encoding_findings(data)] or how.encoding != "utf-8"


def test_header_with_text_on_the_same_line_is_parsed():
    doc = document_from_bytes(b" date 2025-03-13 Russian forces have driven the army out.\n")
    assert str(doc.header.date) == "2025-03-13"
    assert doc.lines[0].text == "Russian forces have driven the army out."


def test_malformed_header_has_no_date():
    doc = document_from_bytes(b" date 2025-13-45\nBody.\n")
    assert doc.header is not None and doc.header.date is None and doc.header.value == "2025-13-45"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "a", "Body text.", " date 2025-03-13", " date 2025-03-13 Title",
                                 "\r", "x\ry", "  indented  "]), max_size=10), st.sampled_from(["\n", "\r\n"]))
def test_lines_are_the_text_split_at_newlines_with_their_places(parts, newline):
    text = newline.join(parts)
    doc = Document(text)
    for line in doc.lines:
        assert text[line.start:line.end] == line.text and line.stripped == line.text.strip()
        if not line.on_header:  # the header line holds only the text after its date
            assert line.start == 0 or text[line.start - 1] == "\n"
            assert text[line.end:].startswith(("\n", "\r\n")) or text[line.end:] in ("", "\r")
    expected = [p[:-1] if p.endswith("\r") else p for p in text.split("\n")]
    if text.endswith("\n"):
        expected.pop()  # no line after the last newline
    if doc.header is not None:
        expected[0] = expected[0][doc.header.rest_start:]
    assert [line.text for line in doc.lines] == expected
    assert [line.number for line in doc.lines] == list(range(1, len(doc.lines) + 1))


CJK_SAMPLES = ["日", "本", "カ", "ナ", "。", "한", "\u3040", "\u303f", "\ufaff"]


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab .,„“") + CJK_SAMPLES + ["\ud800"]), max_size=30))
def test_a_document_knows_whether_it_holds_cjk_whatever_the_screen_says(text):
    from auditor.document import CJK_RE

    assert Document(text).cjk == bool(CJK_RE.search(text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("Ab c.,!?-'“”’0") + CJK_SAMPLES), max_size=50),
                max_size=14))
def test_knowing_a_document_holds_no_cjk_changes_no_count(lines):
    # the word counts skip looking for CJK characters where the document holds none:
    # what they count must be what they count when they look
    from auditor.checks.appended import AppendedSettings, Units
    from auditor.checks.boilerplate import layout

    text = "\n".join(lines)
    doc, looking = Document(text), Document(text)
    looking.__dict__["cjk"] = True  # the cached flag, set as if CJK were there
    assert layout(doc) == layout(looking)
    settings_ = AppendedSettings()
    told, looked = Units(doc, settings_), Units(looking, settings_)
    assert (told.sizes, told.prose, told.words) == (looked.sizes, looked.prose, looked.words)
