"""Pipelines: JSONL and Parquet in and out, the pandas batch API, and Dask."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from auditor.api import Cleaner, clean_batch, clean_text, findings_frame
from auditor import corpus
from auditor.cli import app

SAMPLES = Path(__file__).parent.parent / "sample_data"
runner = CliRunner()


def sample_records() -> list[dict]:
    return [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "source": "sample"}
            for p in sorted(SAMPLES.glob("*.txt"))]


def test_clean_text_returns_findings_and_cleaned_text():
    result = clean_text(" date 2025-03-13 All sections\nThe envoy arrived on Thursday.\nFollow\n")
    assert result.cleaned == " date 2025-03-13\nThe envoy arrived on Thursday.\n"
    assert {f.name for f in result.findings} >= {"navigation-line"}


def test_clean_batch_gives_cleaned_frame_and_findings_frame():
    df = pd.DataFrame(sample_records())
    cleaned, findings = clean_batch(df, "text", "id")
    assert list(cleaned["id"]) == list(df["id"]) and list(cleaned["source"]) == ["sample"] * 5
    assert (cleaned["text"] != df["text"]).all()
    assert set(findings["file"]) <= set(df["id"])
    for col in ("header_date", "inferred_date", "date_status", "title", "byline", "dateline",
                "n_navigation", "n_caption"):
        assert col in cleaned.columns
    rows = cleaned.set_index("id")
    row = rows.loc["001_fbf9d7aa774f525d"]
    assert row["header_date"] == "2024-12-03" and row["n_navigation"] >= 1
    # the article is dated March 13, 2025 under a header of 2024-12-03
    assert (row["inferred_date"], row["date_status"]) == ("2025-03-13", "contradiction")
    assert row["title"].startswith("Russia says it has retaken Kursk")
    assert rows.loc["000_c09f9be5b21b3bf1", "date_status"] == "consistent"
    assert rows.loc["004_cc470b77ab695863", "date_status"] == "missing"
    assert rows.loc["004_cc470b77ab695863", "dateline"] == "MOSCOW"
    # the cleaned text of each row is what the single-text API gives
    assert cleaned["text"].iloc[3] == clean_text(df["text"].iloc[3]).cleaned


def write_jsonl(path: Path, records: list[dict], broken: str | None = None) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    if broken is not None:
        lines.insert(1, broken)
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)


@pytest.mark.parametrize("name", ["part.jsonl", "part.jsonl.gz"])
def test_jsonl_in_and_out_with_a_broken_line(tmp_path, name):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / name, sample_records(), broken='{"id": "oops", "text": ')
    out, report = tmp_path / "out", tmp_path / "r.csv"
    res = runner.invoke(app, ["clean", str(src), "--out", str(out), "--report", str(report),
                              "--id-field", "id", "-j", "1"])
    assert res.exit_code == 0, res.output
    opener = gzip.open if name.endswith(".gz") else open
    with opener(out / name, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    assert [r["id"] for r in rows] == [r["id"] for r in sample_records()]
    assert all(r["source"] == "sample" and "date_status" in r for r in rows)
    report_rows = pd.read_csv(report, dtype=str)
    broken = report_rows[report_rows["file"] == f"{name}#2"]
    assert list(broken["name"]) == ["unreadable-file"]
    assert f"{name}#001_fbf9d7aa774f525d" in set(report_rows["file"])


def test_parquet_in_and_out(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    pd.DataFrame(sample_records()).to_parquet(src / "a.parquet")
    pd.DataFrame({"body": ["no text column here"]}).to_parquet(src / "b.parquet")
    out, report = tmp_path / "out", tmp_path / "r.csv"
    res = runner.invoke(app, ["clean", str(src), "--out", str(out), "--report", str(report), "-j", "1"])
    assert res.exit_code == 0, res.output
    back = pd.read_parquet(out / "a.parquet")
    assert len(back) == 5 and "n_caption" in back.columns
    assert back["text"].iloc[0] == clean_text(sample_records()[0]["text"]).cleaned
    rows = pd.read_csv(report, dtype=str)
    bad = rows[rows["file"] == "b.parquet"]
    assert list(bad["name"]) == ["unreadable-file"] and "no column 'text'" in bad["message"].iloc[0]
    assert not (out / "b.parquet").exists()


def test_cleaner_plugs_into_dask_map_partitions():
    dd = pytest.importorskip("dask.dataframe")
    df = pd.DataFrame(sample_records())
    cleaner = Cleaner("text", "id")
    local = cleaner(df)
    ddf = dd.from_pandas(df, npartitions=2)
    meta = local.iloc[:0]
    distributed = ddf.map_partitions(cleaner, meta=meta).compute(scheduler="processes")
    same = lambda frame: frame.reset_index(drop=True).astype(object).fillna("").astype(str)
    pd.testing.assert_frame_equal(same(distributed), same(local))
    assert len(findings_frame(local)) == len(clean_batch(df, "text", "id")[1])


def test_dask_engine_matches_local_engine(tmp_path):
    pytest.importorskip("dask.distributed")
    src = tmp_path / "in"
    shutil.copytree(SAMPLES, src)
    for engine in ("local", "dask"):
        res = runner.invoke(app, ["clean", str(src), "--out", str(tmp_path / engine),
                                  "--report", str(tmp_path / f"{engine}.csv"),
                                  "--engine", engine, "-j", "2"])
        assert res.exit_code == 0, res.output
    local = {p.name: p.read_bytes() for p in (tmp_path / "local").glob("*.txt")}
    dask = {p.name: p.read_bytes() for p in (tmp_path / "dask").glob("*.txt")}
    assert local == dask and len(local) == 5
    assert (tmp_path / "local.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()


def test_sources_walk_in_sorted_order_and_again_on_each_pass(tmp_path):
    # a folder sorts as its name followed by "/": "a-b.txt" before "a/...", "a/..." before "a0.txt"
    for rel in ("a/z.txt", "a/b/c.txt", "a-b.txt", "a0.txt", "B.txt", "notes.md", "x.jsonl"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("text\n")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    sources = corpus.Sources([tmp_path])
    rels = [s.rel for s in sources]
    assert rels == ["B.txt", "a-b.txt", "a/b/c.txt", "a/z.txt", "a0.txt", "x.jsonl"]
    assert [s.rel for s in sources] == rels  # a second pass (after statistics) walks again
    assert sources.census == (6, False)
    assert [s.rel for s in sources.where(lambda s: s.kind == "text")][-1] == "a0.txt"
    with pytest.raises(FileNotFoundError):
        corpus.Sources([tmp_path / "missing"])
