"""auditor as a datatrove step: in a real pipeline (LocalPipelineExecutor, JSONL reader
-> AuditorCleaner -> JSONL writer, two tasks) it writes the texts `auditor clean`
writes, the metadata beside them, and the documents it drops to the exclusion writer."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from typer.testing import CliRunner

from auditor.api import RuleOptions
from auditor.cli import app
from auditor.integrations.datatrove import AuditorCleaner
from auditor.rulepack import PackError

SAMPLES = Path(__file__).parent.parent / "sample_data"
MISMATCHED = "001_fbf9d7aa774f525d"  # its header says 2024-12-03, its dateline March 13, 2025
runner = CliRunner()


def read_docs(folder: Path) -> dict[str, dict]:
    docs = {}
    for path in sorted(folder.glob("*.jsonl*")):
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                docs[doc["id"]] = doc
    return docs


@pytest.fixture
def shards(tmp_path) -> Path:
    """The sample articles as records in two JSONL shards, one per task."""
    folder = tmp_path / "in"
    folder.mkdir()
    records = [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "source": "sample"}
               for p in sorted(SAMPLES.glob("*.txt"))]
    for name, part in (("a.jsonl", records[:3]), ("b.jsonl", records[3:])):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
    return folder


def test_pipeline_writes_what_auditor_clean_writes_and_drops_to_the_exclusion_writer(shards, tmp_path):
    res = runner.invoke(app, ["clean", str(shards), "--out", str(tmp_path / "clean"),
                              "--no-corpus-stats", "--id-field", "id", "-j", "1"])
    assert res.exit_code == 0, res.output
    expected = read_docs(tmp_path / "clean")
    assert len(expected) == 5

    stats = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(shards)),
            AuditorCleaner(drop_if=("header-date-mismatch",),
                           exclusion_writer=JsonlWriter(str(tmp_path / "dropped"))),
            JsonlWriter(str(tmp_path / "kept")),
        ],
        tasks=2, logging_dir=str(tmp_path / "logs")).run()

    kept, dropped = read_docs(tmp_path / "kept"), read_docs(tmp_path / "dropped")
    assert len(list((tmp_path / "kept").glob("*.jsonl.gz"))) == 2  # one file per task
    assert set(dropped) == {MISMATCHED}
    assert set(kept) | set(dropped) == set(expected) and not set(kept) & set(dropped)
    assert dropped[MISMATCHED]["metadata"]["filter_reason"] == "header-date-mismatch"
    for doc_id, doc in {**kept, **dropped}.items():
        assert doc["text"] == expected[doc_id]["text"], doc_id  # byte for byte, as clean writes it
        meta = doc["metadata"]
        assert meta["source"] == "sample"  # the record's own fields are kept
        for key in ("header_date", "inferred_date", "date_status", "title", "n_caption"):
            assert meta[key] == expected[doc_id][key], (doc_id, key)
    assert dropped[MISMATCHED]["metadata"]["date_status"] == "contradiction"
    step = next(s for s in stats.stats if "auditor" in s.name)
    assert step.stats["dropped_header-date-mismatch"].total == 1
    assert step.stats["forwarded"].total == 4
    assert step.stats["problems_caption"].total == sum(d["n_caption"] for d in expected.values()) > 0


def test_a_learned_pack_does_what_the_statistics_pass_would(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    texts = {f"a{i}.txt": f"Article {i} starts here.\nSubscribe to the Morning Brief\n"
                          f"It ends on day {i}.\n" for i in range(8)}
    for name, text in texts.items():
        (site / name).write_text(text, encoding="utf-8")
    pack = tmp_path / "learned.toml"
    assert runner.invoke(app, ["learn", str(site), "--out", str(pack)]).exit_code == 0
    # `auditor clean` with its statistics pass removes the recurring line
    assert runner.invoke(app, ["clean", str(site), "--out", str(tmp_path / "clean"),
                               "-j", "1"]).exit_code == 0
    cleaned = {name: (tmp_path / "clean" / name).read_text(encoding="utf-8") for name in texts}
    assert "Subscribe" not in cleaned["a3.txt"]
    docs = [Document(text, name) for name, text in texts.items()]
    plain = {d.id: d.text for d in AuditorCleaner().run(iter([Document(d.text, d.id) for d in docs]))}
    learned = {d.id: d.text for d in AuditorCleaner(RuleOptions(packs=(str(pack),))).run(iter(docs))}
    assert plain == texts  # a stream has no first pass: without the pack the line stays
    assert learned == cleaned


def test_drop_if_takes_selectors_and_refuses_one_that_matches_no_rule():
    step = AuditorCleaner(drop_if=("empty", "LAY104"))
    docs = [Document("Follow\n", "nav-only"), Document("The envoy arrived on Thursday.\n", "ok"),
            Document(None, "no-text")]  # another step's slip, passed on as it is
    assert [(d.id, d.text) for d in step.run(iter(docs))] == [
        ("ok", "The envoy arrived on Thursday.\n"), ("no-text", None)]
    assert step.stats["dropped"].total == 1 and step.stats["text_not_a_string"].total == 1
    with pytest.raises(PackError):
        AuditorCleaner(drop_if=("no-such-rule",))


def test_the_core_never_imports_datatrove():
    import subprocess
    import sys

    code = ("import sys, auditor.cli, auditor.api, auditor.corpus, auditor.editlog; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'datatrove'))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


def test_a_record_date_in_the_metadata_is_judged_as_clean_judges_it(tmp_path):
    records = Path(__file__).parent / "fixtures" / "records" / "news-please.jsonl"
    report = tmp_path / "r.csv"
    assert runner.invoke(app, ["audit", str(records), "--text-field", "maintext",
                               "--date-field", "date_publish", "--report", str(report)]
                         ).exit_code == 0
    by_clean = {row.split('","')[0].strip('"') for row in report.read_text().splitlines()
                if "header-date-mismatch" in row}
    lines = records.read_text(encoding="utf-8").splitlines()
    docs = [Document(json.loads(line)["maintext"], f"news-please.jsonl#{n}",
                     metadata={"date_publish": json.loads(line)["date_publish"]})
            for n, line in enumerate(lines, 1)]
    out = list(AuditorCleaner(date_field="date_publish").run(iter(docs)))
    flagged = {d.id for d in out if d.metadata["date_status"] == "contradiction"}
    assert flagged and flagged == by_clean
    assert [d.metadata["header_date"] for d in out] == [
        json.loads(line)["date_publish"][:10] if json.loads(line)["date_publish"] else None
        for line in lines]
