"""What auditor guarantees: nothing lost (edit log and restore), nothing crashes
(a matrix of bad inputs), and the same output every time."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from auditor.api import clean_document
from auditor.cli import app
from auditor.edits import restore_bytes
from auditor.load import document_from_bytes

SAMPLES = Path(__file__).parent.parent / "sample_data"
runner = CliRunner()


def clean(args: list[str]):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res


def test_restore_rebuilds_every_sample_byte_for_byte(tmp_path):
    out, log, back = tmp_path / "out", tmp_path / "edits.jsonl", tmp_path / "back"
    clean(["clean", str(SAMPLES), "--out", str(out), "--edits", str(log), "-j", "1"])
    assert sum(1 for _ in open(log)) == 5
    res = runner.invoke(app, ["restore", str(out), "--edits", str(log), "--out", str(back)])
    assert res.exit_code == 0, res.output
    for p in SAMPLES.glob("*.txt"):
        assert (back / p.name).read_bytes() == p.read_bytes()


def test_restore_refuses_a_tampered_cleaned_file(tmp_path):
    out, log = tmp_path / "out", tmp_path / "edits.jsonl"
    clean(["clean", str(SAMPLES), "--out", str(out), "--edits", str(log), "-j", "1"])
    victim = out / "003_07ae68b80a89e615.txt"
    victim.write_text(victim.read_text(encoding="utf-8").replace("Kursk", "Kurks"), encoding="utf-8")
    res = runner.invoke(app, ["restore", str(out), "--edits", str(log), "--out", str(tmp_path / "b")])
    assert res.exit_code == 1
    assert "003_07ae68b80a89e615.txt" in res.output


def test_cleaning_a_cleaned_corpus_changes_nothing(tmp_path):
    clean(["clean", str(SAMPLES), "--out", str(tmp_path / "once"), "-j", "1"])
    clean(["clean", str(tmp_path / "once"), "--out", str(tmp_path / "twice"), "-j", "1"])
    for p in (tmp_path / "once").glob("*.txt"):
        assert (tmp_path / "twice" / p.name).read_bytes() == p.read_bytes(), p.name


def test_resume_continues_where_a_run_stopped(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(SAMPLES, src)
    out, report = tmp_path / "out", tmp_path / "r.csv"
    full = tmp_path / "full"
    clean(["clean", str(src), "--out", str(full), "--report", str(tmp_path / "full.csv"), "-j", "1"])
    # a run that stopped after two files
    clean(["clean", str(src / "000_c09f9be5b21b3bf1.txt"), str(src / "001_fbf9d7aa774f525d.txt"),
           "--out", str(out), "--report", str(report), "-j", "1"])
    res = clean(["clean", str(src), "--out", str(out), "--report", str(report), "--resume", "-j", "1"])
    assert "2 file(s) already written, 3 to go" in res.output
    for p in full.glob("*.txt"):
        assert (out / p.name).read_bytes() == p.read_bytes()
    assert len(pd.read_csv(report)) == len(pd.read_csv(tmp_path / "full.csv"))


def bad_inputs(root: Path) -> dict[str, str]:
    """Each bad input of the matrix, written under `root`; returns file -> what it is."""
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "nul.txt").write_bytes(b"Officials said\x00 on Thursday.\n")
    (root / "utf16.txt").write_bytes("Officials said on Thursday.\nFollow\n".encode("utf-16"))
    (root / "cp1252.txt").write_bytes("Le président a déclaré jeudi que la réunion était reportée.\n".encode("cp1252"))
    (root / "latin1.txt").write_bytes("Der Präsident erklärte, die Gespräche würden fortgesetzt.\n".encode("latin-1"))
    (root / "broken-utf8.txt").write_bytes("Café society – ".encode() + b"\xc3\x28 mid \xff\n")
    (root / "mojibake.txt").write_bytes("The ministryâ€™s claim was denied.\n".encode())
    (root / "long-line.txt").write_bytes(b"word " * 1_000_000)
    (root / "big.txt").write_bytes(("Officials said on Thursday that the talks went on. " * 20 + "\n\n").encode() * 50_000)
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (root / "loop").mkdir()
    os.symlink(root / "loop", root / "loop" / "again")
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    (root / "records.jsonl").write_text('{"text": "Follow\\nOfficials said."}\n{"text": \n[1, 2]\n{"id": 3}\n')
    pd.DataFrame({"body": ["x"]}).to_parquet(root / "notext.parquet")
    return {}


def test_bad_inputs_are_reported_and_the_run_goes_on(tmp_path):
    src = tmp_path / "in"
    bad_inputs(src)
    out, report = tmp_path / "out", tmp_path / "r.csv"
    res = runner.invoke(app, ["clean", str(src), "--out", str(out), "--report", str(report), "-j", "2"])
    assert res.exit_code == 0, res.output
    rows = pd.read_csv(report, dtype=str, keep_default_na=False)
    by_file = rows.groupby("file")["name"].apply(set).to_dict()
    assert "unreadable-file" in by_file["dangling.txt"]
    assert "legacy-encoding" in by_file["utf16.txt"] and "legacy-encoding" in by_file["cp1252.txt"]
    assert "lost-bytes" in by_file["broken-utf8.txt"]
    assert "mojibake" in by_file["mojibake.txt"]
    assert "control-characters" in by_file["nul.txt"]
    assert by_file["records.jsonl#2"] == {"unreadable-file"}  # broken JSON line
    assert by_file["records.jsonl#3"] == {"unreadable-file"}  # not an object
    assert by_file["records.jsonl#4"] == {"unreadable-file"}  # no text field
    assert by_file["notext.parquet"] == {"unreadable-file"}
    assert "image.png" not in by_file  # not a text file: not taken
    assert "document-too-large" in by_file["big.txt"]  # over the size cap: kept as it was
    for name in ("empty.txt", "binary.txt", "long-line.txt", "big.txt", "utf16.txt", "cp1252.txt"):
        assert (out / name).exists(), name
    assert (out / "mojibake.txt").read_text(encoding="utf-8") == "The ministry’s claim was denied.\n"
    assert json.loads((out / "records.jsonl").read_text().splitlines()[0])["text"] == "Officials said."


def test_malformed_rule_pack_names_file_line_and_key(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text('\n[[rule]]\ncode = "ZZZ001"\nname = "my-rule"\ncategory = "navigation"\n'
                    'severity = "loud"\ncheck = "lines"\nsummary = "s"\nwhy = "w"\n'
                    '[rule.params]\nphrases = ["x"]\n')
    res = runner.invoke(app, ["audit", str(SAMPLES), "--rules", str(pack)])
    assert res.exit_code == 2
    assert "mine.toml:3" in res.output and "severity" in res.output
    pack.write_text('[[rule]]\ncode = "ZZZ001"\nname = \n')
    res = runner.invoke(app, ["audit", str(SAMPLES), "--rules", str(pack)])
    assert res.exit_code == 2 and "invalid TOML" in res.output and "line 3" in res.output


def test_ids_from_records_never_name_output_paths(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    recs = [{"id": "../../escape", "text": "Officials said."}, {"id": "/etc/passwd", "text": "x."}]
    (src / "r.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    out = tmp_path / "out"
    clean(["clean", str(src), "--out", str(out), "--id-field", "id", "-j", "1"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == \
        ["in/r.jsonl", "out/r.jsonl"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_clean_and_restore(data):
    cleaned = clean_document(document_from_bytes(data, "x.txt"))
    assert restore_bytes(cleaned.edit_record, cleaned.text) == data
    again = clean_document(document_from_bytes(cleaned.text.encode("utf-8", "surrogatepass"), "x.txt"))
    assert again.text == cleaned.text


def test_an_interrupted_record_file_is_not_left_half_written(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "r.jsonl").write_text("\n".join(json.dumps({"text": f"Officials said {i}."})
                                           for i in range(300)) + "\n")
    import auditor.corpus as corpus_module

    real = corpus_module.map_documents

    def interrupted(*args, **kwargs):
        for n, pair in enumerate(real(*args, **kwargs)):
            if n == 100:
                raise KeyboardInterrupt
            yield pair

    monkeypatch.setattr(corpus_module, "map_documents", interrupted)
    out = tmp_path / "out"
    res = runner.invoke(app, ["clean", str(src), "--out", str(out), "-j", "1"])
    assert res.exit_code == 130
    assert not out.exists() or not any(out.iterdir())  # neither r.jsonl nor a temporary file
