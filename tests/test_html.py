"""The HTML report opens offline in a real browser and shows its charts."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app

SAMPLES = Path(__file__).parent.parent / "sample_data"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
runner = CliRunner()
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def page(tmp_path) -> Path:
    html, report = tmp_path / "report.html", tmp_path / "r.csv"
    res = runner.invoke(app, ["audit", str(SAMPLES), "--report", str(report), "--html", str(html)])
    assert res.exit_code == 0, res.output
    return html


def test_html_report_is_self_contained_and_complete(page, tmp_path):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?https?:""", text)  # nothing from the network
    assert "<script" not in text
    for heading in ("Problems by category", "Problems by rule", "Files with most problems",
                    "Date status", "Examples"):
        assert heading in text
    assert "header-date-mismatch" in text and "001_fbf9d7aa774f525d.txt" in text
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as fh:
        problems = sum(1 for _ in csv.DictReader(fh))
    assert f"<b>{problems:,}</b><span>problems</span>" in text  # counted as the CSV rows are
    # a JSONL report has every hit; its page still counts problems
    hits, from_hits = tmp_path / "r.jsonl", tmp_path / "hits.html"
    runner.invoke(app, ["audit", str(SAMPLES), "--report", str(hits), "--format", "jsonl"])
    assert len(hits.read_text(encoding="utf-8").splitlines()) > problems
    assert runner.invoke(app, ["report", str(hits), "--html", str(from_hits)]).exit_code == 0
    assert f"<b>{problems:,}</b><span>problems</span>" in from_hits.read_text(encoding="utf-8")
    again = tmp_path / "again.html"
    res = runner.invoke(app, ["report", str(tmp_path / "r.csv"), "--html", str(again)])
    assert res.exit_code == 0, res.output
    assert "Problems by rule" in again.read_text(encoding="utf-8")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (.ci/run installs it)")
def test_html_report_renders_in_chromium(page, tmp_path):
    profile = tmp_path / "profile"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                          page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert dom.count("<svg") == 4 and dom.count("<rect") >= 10
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                    "--window-size=1100,1400", page.as_uri()], capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a page with content, not blank
