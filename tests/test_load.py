"""Decoding: UTF-8 fast path, detected legacy encodings, BOMs and broken bytes."""
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
