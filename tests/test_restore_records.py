"""Restore for records: `clean --edits` on JSONL and Parquet, then `restore`, gives
back every JSONL file byte for byte (`.gz`: the same bytes once decompressed) and
every Parquet file with the same schema and values, whatever the records hold."""
from __future__ import annotations

import base64
import gzip
import json
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from auditor import corpus as corpus_module
from auditor.cli import app

SAMPLES = Path(__file__).parent.parent / "sample_data"
ARTICLES = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}
# lines of the sample articles: prose, captions, navigation, datelines, to build texts from
LINES = sorted({line for text in ARTICLES.values() for line in text.splitlines() if line.strip()})
runner = CliRunner()


def clean_and_restore(src: Path, work: Path, *extra: str, jobs: int = 1) -> Path:
    """`clean --edits` over `src`, then `restore`; returns the restored folder."""
    out, log, back = work / "out", work / "edits.jsonl", work / "back"
    res = runner.invoke(app, ["clean", str(src), "--out", str(out), "--edits", str(log),
                              "--report", str(work / "report.csv"), "-j", str(jobs), *extra])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["restore", str(out), "--edits", str(log), "--out", str(back)])
    assert res.exit_code == 0, res.output
    return back


def sample_records() -> list[dict]:
    return [{"id": stem, "text": text, "source": "sample", "n": i, "score": 0.1 + i}
            for i, (stem, text) in enumerate(ARTICLES.items())]


def test_sample_records_come_back_from_every_kind_of_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    recs = sample_records()
    # Python's json.dumps, with what a real shard also holds: a broken line, blank
    # lines, a line that is no object, a record without text, a field named as ours
    lines = [json.dumps(r) for r in recs]
    lines[1:1] = ['{"id": "oops", "text": ', "", "[1, 2]", '{"id": "no-text", "title": "x"}']
    (src / "a.jsonl").write_bytes(("\n".join(lines) + "\n\n").encode())
    # compact UTF-8 with CRLF and no newline at the end; gzip; pandas' own form
    compact = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in recs]
    (src / "b.jsonl").write_bytes("\r\n".join(compact).encode())
    (src / "c.jsonl.gz").write_bytes(gzip.compress(("\n".join(compact) + "\n").encode()))
    pa_table = pa.Table.from_pylist(recs)
    pa_table.to_pandas().to_json(src / "d.jsonl", orient="records", lines=True)
    # a .txt between the record files: the log switches kinds and back
    (src / "e.txt").write_text(ARTICLES["001_fbf9d7aa774f525d"], encoding="utf-8")
    table = pa.table({
        "id": pa.array([r["id"] for r in recs], pa.large_string()),
        "text": pa.array([r["text"] if i != 2 else None for i, r in enumerate(recs)]),
        "n": pa.array([r["n"] for r in recs], pa.int16()),
        "when": pa.array([1_700_000_000_000_000_001 + i for i in range(5)], pa.timestamp("ns", "UTC")),
        "tags": pa.array([["a", "b"], None, [], ["c"], ["d"]], pa.list_(pa.string())),
        "title": pa.array(["theirs"] * 5).dictionary_encode(),
    }).replace_schema_metadata({"origin": "a test"})
    pq.write_table(table, src / "f.parquet", row_group_size=2)
    originals = {p.name: p.read_bytes() for p in src.iterdir()}

    back = clean_and_restore(src, tmp_path, "--id-field", "id", jobs=2)

    out = tmp_path / "out"
    assert (out / "a.jsonl").read_bytes() != originals["a.jsonl"]  # clean did change them
    for name in ("a.jsonl", "b.jsonl", "d.jsonl", "e.txt"):
        assert (back / name).read_bytes() == originals[name], name
    assert gzip.decompress((back / "c.jsonl.gz").read_bytes()) == gzip.decompress(originals["c.jsonl.gz"])
    original, cleaned = pq.read_table(src / "f.parquet"), pq.read_table(out / "f.parquet")
    assert cleaned.column("text") != original.column("text") and "auditor_title" in cleaned.column_names
    restored = pq.read_table(back / "f.parquet")
    assert restored.equals(original)
    assert restored.schema.equals(original.schema, check_metadata=True)
    assert {p.name for p in back.iterdir()} == set(originals)


def test_a_restore_checks_what_it_rebuilds(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    lines = [json.dumps(r) for r in sample_records()]
    (src / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (src / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(sample_records()), src / "c.parquet")
    out, log, back = tmp_path / "out", tmp_path / "edits.jsonl", tmp_path / "back"
    runner.invoke(app, ["clean", str(src), "--out", str(out), "--edits", str(log), "-j", "1"])
    cleaned = (out / "a.jsonl").read_text(encoding="utf-8").replace("Kursk", "Kurks")
    (out / "a.jsonl").write_text(cleaned, encoding="utf-8")
    table = pq.read_table(out / "c.parquet")
    texts = [t.replace("Kursk", "Kurks") for t in table.column("text").to_pylist()]
    pq.write_table(table.set_column(1, "text", pa.array(texts, table.schema.field("text").type)),
                   out / "c.parquet")
    res = runner.invoke(app, ["restore", str(out), "--edits", str(log), "--out", str(back)])
    assert res.exit_code == 1
    assert "a.jsonl" in res.output and "c.parquet" in res.output
    assert "restored 1 file(s)" in res.output and "2 failed" in res.output
    assert sorted(p.name for p in back.iterdir()) == ["b.jsonl"]  # no half-restored file


def test_restore_after_an_interrupted_and_resumed_run(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b"):
        (src / f"{name}.jsonl").write_text("".join(
            json.dumps({"id": i, "text": f"Follow\nOfficials said {i} {name}.\n"}) + "\n"
            for i in range(150)), encoding="utf-8")
    real = corpus_module.map_documents

    def interrupted(*args, **kwargs):
        for n, pair in enumerate(real(*args, **kwargs)):
            if n == 200:  # in the middle of b.jsonl
                raise KeyboardInterrupt
            yield pair

    out, log, back = tmp_path / "out", tmp_path / "edits.jsonl", tmp_path / "back"
    monkeypatch.setattr(corpus_module, "map_documents", interrupted)
    res = runner.invoke(app, ["clean", str(src), "--out", str(out), "--edits", str(log), "-j", "1"])
    assert res.exit_code == 130
    monkeypatch.setattr(corpus_module, "map_documents", real)
    res = runner.invoke(app, ["clean", str(src), "--out", str(out), "--edits", str(log),
                              "--resume", "-j", "1"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["restore", str(out), "--edits", str(log), "--out", str(back)])
    assert res.exit_code == 0, res.output
    for p in src.iterdir():
        assert (back / p.name).read_bytes() == p.read_bytes()


def test_a_file_that_could_not_be_read_to_its_end_is_not_restored(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    whole = gzip.compress("".join(json.dumps(r) + "\n" for r in sample_records()).encode())
    (src / "cut.jsonl.gz").write_bytes(whole[: len(whole) * 2 // 3])
    (src / "whole.jsonl.gz").write_bytes(whole)
    out, log, back = tmp_path / "out", tmp_path / "edits.jsonl", tmp_path / "back"
    res = runner.invoke(app, ["clean", str(src), "--out", str(out), "--edits", str(log), "-j", "1"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["restore", str(out), "--edits", str(log), "--out", str(back)])
    assert res.exit_code == 1 and "cut.jsonl.gz" in res.output and "could not be read" in res.output
    assert gzip.decompress((back / "whole.jsonl.gz").read_bytes()) == gzip.decompress(whole)
    assert not (back / "cut.jsonl.gz").exists()


def test_very_long_texts_come_back(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    long = "\n".join(LINES) * 12  # about 300 KB, navigation and captions throughout
    recs = [{"id": 1, "text": long}, {"id": 2, "text": long[::-1]}]
    (src / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(recs), src / "b.parquet")
    back = clean_and_restore(src, tmp_path, "--no-corpus-stats")
    assert (back / "a.jsonl").read_bytes() == (src / "a.jsonl").read_bytes()
    assert pq.read_table(back / "b.parquet").equals(pq.read_table(src / "b.parquet"))


# --- records of every shape (hypothesis) -------------------------------------------------

surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
odd_text = st.text(st.one_of(st.characters(), surrogates), max_size=30)
def sample_line(i: int) -> str:
    return LINES[i]


article_text = st.lists(st.integers(0, len(LINES) - 1).map(sample_line), min_size=1,
                        max_size=8).map("\n".join)
texts = st.one_of(article_text, odd_text, st.tuples(article_text, odd_text).map("\n".join))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), odd_text)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(odd_text, inner, max_size=3), max_leaves=6)
field_names = st.sampled_from(["id", "url", "title", "auditor_title", "n_caption", "meta", ""])
records = st.builds(
    lambda fields, text: {**fields, **text},
    st.dictionaries(st.one_of(field_names, odd_text), values, max_size=4),
    st.one_of(st.fixed_dictionaries({"text": texts}), st.just({}),
              st.fixed_dictionaries({"text": values})))
# how writers lay a record out: the forms auditor knows, and others it keeps whole
layouts = st.sampled_from([{}, {"ensure_ascii": False}, {"separators": (",", ":")},
                           {"ensure_ascii": False, "separators": (",", ":")},
                           {"separators": (",", ": ")}, {"sort_keys": True}])
lines = st.one_of(
    st.builds(lambda r, how: json.dumps(r, **how).encode("utf-8", "surrogatepass"), records, layouts),
    st.binary(max_size=20).map(lambda b: b.replace(b"\n", b"")),  # broken lines, any bytes
    st.sampled_from([b"", b"  ", b"\r", b"[1, 2]", b'"text"', b"\xef\xbb\xbf{}"]))
# (a file of blank lines alone holds no record: clean writes nothing for it, and the
# log has nothing to rebuild it from; the README says so)
jsonl_files = st.tuples(st.lists(st.tuples(lines, st.sampled_from([b"\n", b"\r\n"])), min_size=1,
                                 max_size=6).filter(lambda body: any(line.strip() for line, _ in body)),
                        st.sampled_from([b"\n", b"\r\n", b""]))


def jsonl_bytes(drawn) -> bytes:
    body, last_eol = drawn
    data = b"".join(line + eol for line, eol in body)
    return data[: -len(body[-1][1])] + last_eol


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(jsonl_files, st.booleans(), st.booleans())
def test_any_jsonl_file_comes_back_byte_for_byte(drawn, gz, with_id):
    data = jsonl_bytes(drawn)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "in"
        src.mkdir()
        name = "part.jsonl.gz" if gz else "part.jsonl"
        (src / name).write_bytes(gzip.compress(data) if gz else data)
        back = clean_and_restore(src, work, *(["--id-field", "id"] if with_id else []))
        got = (back / name).read_bytes()
        assert (gzip.decompress(got) if gz else got) == data


# Parquet columns of many types: (values, Arrow type); any of them may be null
PARQUET_COLUMNS = {
    "int8": (st.integers(-128, 127), pa.int8()),
    "uint64": (st.integers(0, 2**64 - 1), pa.uint64()),
    "float32": (st.floats(width=32, allow_nan=False), pa.float32()),
    "timestamp": (st.integers(0, 2**62), pa.timestamp("ns", "Europe/Paris")),
    "list": (st.lists(st.integers(-99, 99), max_size=3), pa.list_(pa.int32())),
    "struct": (st.fixed_dictionaries({"a": st.booleans(), "b": st.text(max_size=4)}),
               pa.struct([("a", pa.bool_()), ("b", pa.string())])),
    "dictionary": (st.sampled_from(["x", "y"]), pa.dictionary(pa.int8(), pa.string())),
    "binary": (st.binary(max_size=8), pa.binary()),
}


@st.composite
def parquet_tables(draw) -> pa.Table:
    n = draw(st.integers(1, 8))
    rows = lambda values: st.lists(st.one_of(st.none(), values), min_size=n, max_size=n)
    text_type = draw(st.sampled_from([pa.string(), pa.large_string()]))
    columns = {"text": pa.array(draw(rows(st.one_of(article_text, st.text(max_size=30)))), text_type)}
    for kind in draw(st.lists(st.sampled_from(sorted(PARQUET_COLUMNS)), max_size=4, unique=True)):
        values, arrow_type = PARQUET_COLUMNS[kind]
        columns[kind] = pa.array(draw(rows(values)), arrow_type)
    if draw(st.booleans()):
        columns["title"] = pa.array(["theirs"] * n)  # a column named as one of ours
    return pa.table({k: columns[k] for k in draw(st.permutations(list(columns)))})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parquet_tables(), st.integers(1, 4))
def test_any_parquet_file_comes_back_with_its_schema_and_values(table, row_group):
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "in"
        src.mkdir()
        pq.write_table(table, src / "part.parquet", row_group_size=row_group)
        original = pq.read_table(src / "part.parquet")
        back = clean_and_restore(src, work)
        restored = pq.read_table(back / "part.parquet")
        assert restored.equals(original)
        assert restored.schema.equals(original.schema, check_metadata=True)


def test_the_log_keeps_a_line_whole_only_where_its_form_is_unknown(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    recs = sample_records()
    known = [json.dumps(r) for r in recs]
    unknown = [json.dumps(r, separators=(",", ": ")) for r in recs]
    (src / "known.jsonl").write_text("\n".join(known) + "\n", encoding="utf-8")
    (src / "unknown.jsonl").write_text("\n".join(unknown) + "\n", encoding="utf-8")
    log = tmp_path / "edits.jsonl"
    clean_and_restore(src, tmp_path)
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    by_file = {f: [e for e in entries if e["file"] == f and "position" in e]
               for f in ("known.jsonl", "unknown.jsonl")}
    assert all("raw" not in e and e["form"] == 1 for e in by_file["known.jsonl"])
    assert [base64.b64decode(e["raw"]).decode() for e in by_file["unknown.jsonl"]] == \
        [line + "\n" for line in unknown]
