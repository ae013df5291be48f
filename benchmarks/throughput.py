"""Throughput benchmark: documents/s, MB/s, scaling and peak memory of `auditor`.

Builds a corpus of varied articles from the repository's sample_data/ and, when
present, ../shared/bench/ (each copy differs: its paragraphs are lightly shuffled,
its numbers and some names changed, and a unique sentence appended), then measures
in one run:

- the floor: a bare read-decode-write pass over the same files;
- `auditor audit` and `auditor clean` with one job (documents/s and MB/s per core);
- what date finding costs per KB of text, and its share of all the rules (timed in
  one process over the first 1,000 documents: the date analysis alone, then every
  rule through `clean_text`);
- `auditor clean` with two jobs (scaling from 1 to 2), beside the most any program
  can scale here: how much work two independent busy processes get done against one;
- peak memory of `clean -j 2` at 10,000 and 20,000 documents (`--memory-at`) and at
  the full size (ru_maxrss of the parent plus that of its largest worker times the
  number of workers);
- optionally the peer: datatrove's C4 + Gopher (repetition, quality) + FineWeb
  quality filters over the same files, run in another interpreter (`--peer-python`,
  a venv with `datatrove[processing]` and spacy; datatrove is no dependency of ours).

    python benchmarks/throughput.py --quick --peer-python /tmp/dtv/bin/python

Every timing runs the documented command line in a fresh process, so process
start-up and rule-pack loading are included (they matter little at these sizes).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("Alvarez", "Okafor", "Lindqvist", "Nakamura", "Petrov", "Haddad", "Moreau",
         "Kowalski", "Ferreira", "Oduya", "Brennan", "Castellano")
NAME_RE = re.compile(r"\b(?:Smith|Johnson|Brown|Jones|Miller|Davis|Wilson|Taylor|Lee|Martin)\b")
DIGIT_RE = re.compile(r"\d")


# ------------------------------------------------------------------ corpus

def base_texts(extra: Path | None) -> list[str]:
    """The distinct articles the corpus is varied from."""
    paths = sorted((ROOT / "sample_data").glob("*.txt"))
    if extra is not None and extra.is_dir():
        paths += sorted(p for p in extra.rglob("*.txt") if p.is_file())
    texts, seen = [], set()
    for p in paths:
        text = p.read_bytes().decode("utf-8", errors="replace")
        if text.strip() and text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def vary(text: str, i: int) -> str:
    """A deterministic variant of `text`: not an identical copy of any other."""
    rng = random.Random(i)
    header = ""
    if text.startswith(" date "):
        header, _, text = text.partition("\n")
        header += "\n"
    paras = text.split("\n\n")
    if len(paras) > 4:  # swap two paragraphs of the middle; the first and last stay
        a, b = rng.sample(range(1, len(paras) - 1), 2)
        paras[a], paras[b] = paras[b], paras[a]
    shift = rng.randrange(1, 10)
    body = DIGIT_RE.sub(lambda m: str((int(m.group()) + shift) % 10), "\n\n".join(paras))
    body = NAME_RE.sub(lambda m: NAMES[(zlib.crc32(m.group().encode()) + i) % len(NAMES)], body)
    tail = (f"Reference {i:06d}: the {NAMES[i % len(NAMES)]} desk filed this report "
            f"on request {rng.randrange(10**6):06d}.\n")
    return header + body.rstrip("\n") + "\n\n" + tail


def build_corpus(root: Path, n: int, texts: list[str], sources: int = 20) -> int:
    """Write `n` varied articles under `root/srcNN/`; returns the bytes written."""
    total = 0
    for i in range(n):
        data = vary(texts[i % len(texts)], i).encode("utf-8")
        folder = root / f"src{i % sources:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def subset(full: Path, target: Path, n: int) -> None:
    """The first `n` documents of `full` (by number), hard-linked under `target`."""
    for path in sorted(full.rglob("*.txt")):
        if int(path.stem[3:]) < n:
            dest = target / path.relative_to(full)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, dest)
            except OSError:
                shutil.copy2(path, dest)


# ------------------------------------------------------------------ runs

RUNNER = textwrap.dedent("""
    import json, resource, sys
    def report():
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        sys.stderr.write("\\n@@RUSAGE " + json.dumps([own, kids]) + "\\n")
    import atexit; atexit.register(report)
    sys.argv = ["auditor"] + sys.argv[1:]
    from auditor.cli import app
    app()
""")

FLOOR = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    for path in sorted(src.rglob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        dest = out / path.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(text.encode("utf-8"))
""")

PEER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from datatrove.data import Document
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter,
                                            GopherQualityFilter, GopherRepetitionFilter)
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    filters = [C4QualityFilter(), GopherRepetitionFilter(), GopherQualityFilter(),
               FineWebQualityFilter()]
    kept = 0
    for path in sorted(src.rglob("*.txt")):
        doc = Document(text=path.read_bytes().decode("utf-8"), id=str(path))
        ok = True
        for f in filters:
            verdict = f.filter(doc)
            if not (verdict[0] if isinstance(verdict, tuple) else verdict):
                ok = False
                break
        if ok:  # C4 rewrites the text it keeps; write what survives, as a cleaner does
            dest = out / path.relative_to(src)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(doc.text.encode("utf-8"))
            kept += 1
    print("kept", kept, file=sys.stderr)
""")


# a fixed amount of pure-Python work: two copies at once against one alone tell how
# much two processes can get out of this machine's two CPUs (shared, maybe throttled)
SPIN = "n = 0\nfor i in range(60_000_000): n += i"


def ceiling(py: str) -> float:
    """How many times one process's work two independent processes do in the same
    time here: the most that `--jobs 2` could scale, whatever the program."""
    alone = timed([py, "-c", SPIN])[0]
    pair = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        procs = [subprocess.Popen([py, "-c", SPIN]) for _ in range(2)]
        for proc in procs:
            proc.wait()
        pair = min(pair, time.perf_counter() - start)
    return 2 * alone / pair


DATE_COST = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from auditor.api import clean_text
    from auditor.datefind import analyse
    from auditor.document import Document
    paths = sorted(Path(sys.argv[1]).rglob("*.txt"))[:int(sys.argv[2])]
    texts = [p.read_bytes().decode("utf-8") for p in paths]
    kb = sum(len(t.encode("utf-8")) for t in texts) / 1000
    clean_text(texts[0])  # load the packs and build the date pattern first
    start = time.perf_counter()
    for text in texts:
        header = Document(text).header
        analyse(text, header.date if header else None, header.end if header else 0)
    dates = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        clean_text(text)
    rules = time.perf_counter() - start
    print(json.dumps({"docs": len(texts), "kb": kb, "dates_ms_kb": dates * 1000 / kb,
                      "clean_ms_kb": rules * 1000 / kb, "share": dates / rules}))
""")


def memory(py: str, corpus: Path, sizes: list[int], work: Path, out: Path) -> None:
    """Peak memory of `clean -j 2` on the first `size` documents, for each size."""
    for size in sizes:
        part = work / f"corpus{size}"
        shutil.rmtree(part, ignore_errors=True)
        subset(corpus, part, size)
        seconds, rss = timed(auditor(py, "clean", str(part), "--out", str(out), "--report",
                                     str(work / "m.csv"), "-j", "2"), out, repeat=1)
        shutil.rmtree(out, ignore_errors=True)
        print(f"clean -j 2 on {size:,} documents: {seconds:.0f} s, peak "
              f"{(rss[0] + 2 * rss[1]) / 1024:.0f} MB (parent {rss[0] / 1024:.0f} MB, "
              f"largest worker {rss[1] / 1024:.0f} MB)", flush=True)


REPEAT = 1  # runs of each timed command; the fastest counts (`--repeat`)
# The floor pass takes under a second, so one stall of the shared machine can halve its
# rate, and with it every ratio against it: it is run at least this many times (a few
# seconds in all), the fastest counting like every other timing's.
FLOOR_REPEAT = 5


def timed(cmd: list[str], out: Path | None = None, repeat: int | None = None
          ) -> tuple[float, list[int] | None]:
    """Wall seconds of `cmd`, and [own, largest child] ru_maxrss in KiB when reported:
    of the fastest of `repeat` runs (others' work on a shared machine only ever
    slows a run down), removing `out` before each."""
    best: tuple[float, list[int] | None] | None = None
    for _ in range(repeat or REPEAT):
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
        m = re.search(r"@@RUSAGE (\[.*\])", proc.stderr)
        if best is None or seconds < best[0]:
            best = (seconds, json.loads(m.group(1)) if m else None)
    return best


def auditor(python: str, *args: str) -> list[str]:
    return [python, "-c", RUNNER, *args]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=50_000, help="corpus size (default 50000)")
    ap.add_argument("--quick", action="store_true", help="5,000 documents")
    ap.add_argument("--memory-at", type=int, nargs="+", default=[10_000, 20_000],
                    help="smaller corpora for the memory comparison (default 10000 20000)")
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench",
                    help="extra articles to vary (default ../shared/bench when present)")
    ap.add_argument("--peer-python", help="interpreter with datatrove[processing] + spacy")
    ap.add_argument("--peer-docs", type=int, default=0,
                    help="run the peer on the first N documents only (it is slow; default all)")
    ap.add_argument("--python", default=sys.executable, help="interpreter running auditor")
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the working folder")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--memory-only", action="store_true",
                    help="only the peak memory of clean -j 2 at each size (a long corpus in less time)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each timing this many times and keep the fastest (default 1)")
    args = ap.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)
    n = 5_000 if args.quick else args.docs
    sizes = sorted({size for size in args.memory_at if size < n})

    work = args.work or Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(args, n, sizes, work)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def run(args, n: int, sizes: list[int], work: Path) -> None:
    texts = base_texts(args.bench)
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    t = time.perf_counter()
    size = build_corpus(corpus, n, texts)
    mb = size / 1e6
    print(f"corpus: {n:,} documents from {len(texts)} distinct articles, {mb:.1f} MB "
          f"(built in {time.perf_counter() - t:.0f} s) under {corpus}", flush=True)
    py = args.python
    results: dict[str, dict] = {}
    startup: dict[str, float] = {}

    def record(name: str, seconds: float, jobs: int, rss=None, docs: int = n, megabytes=mb):
        base = startup["peer" if name.startswith("datatrove") else "auditor"] \
            if not name.startswith("floor") else 0.0
        row = {"seconds": seconds, "docs_s": docs / seconds, "mb_s": megabytes / seconds,
               "jobs": jobs, "docs": docs,
               "net_docs_s": docs / (seconds - base) if seconds > base else float("nan")}
        if rss:
            row.update(rss_parent_mb=rss[0] / 1024, rss_worker_mb=rss[1] / 1024,
                       rss_total_mb=(rss[0] + (jobs if jobs > 1 else 0) * rss[1]) / 1024)
        results[name] = row
        per_core = row["docs_s"] / jobs
        print(f"{name:28s} {seconds:8.1f} s {row['docs_s']:9.1f} docs/s "
              f"({per_core:8.1f} per core; {row['net_docs_s']:8.1f} without start-up) "
              f"{row['mb_s']:7.2f} MB/s"
              + (f"  peak {row['rss_total_mb']:.0f} MB" if rss else ""), flush=True)

    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    one = work / "one"  # start-up: a one-document run, subtracted for the "net" rates
    shutil.rmtree(one, ignore_errors=True)
    build_corpus(one, 1, texts)
    startup["auditor"] = timed(auditor(py, "clean", str(one), "--out", str(work / "o1"), "-j", "1"),
                               work / "o1")[0]
    if args.peer_python:
        startup["peer"] = timed([args.peer_python, "-c", PEER, str(one), str(work / "o1")],
                                work / "o1")[0]
    print("start-up: " + ", ".join(f"{k} {v:.1f} s" for k, v in startup.items()), flush=True)
    if args.memory_only:
        memory(py, corpus, sizes + [n], work, out)
        return
    record("floor read-decode-write", timed([py, "-c", FLOOR, str(corpus), str(out)], out,
                                            max(REPEAT, FLOOR_REPEAT))[0], 1)
    shutil.rmtree(out, ignore_errors=True)
    s, rss = timed(auditor(py, "audit", str(corpus), "--report", str(work / "a.csv"), "-j", "1"))
    record("auditor audit -j 1", s, 1, rss)
    s, rss = timed(auditor(py, "clean", str(corpus), "--out", str(out), "--report",
                           str(work / "c1.csv"), "-j", "1"), out)
    record("auditor clean -j 1", s, 1, rss)
    shutil.rmtree(out, ignore_errors=True)
    s, rss = timed(auditor(py, "clean", str(corpus), "--out", str(out), "--report",
                           str(work / "c2.csv"), "-j", "2"), out)
    record("auditor clean -j 2", s, 2, rss)
    shutil.rmtree(out, ignore_errors=True)
    results["machine ceiling"] = {"two_processes": ceiling(py)}
    for size in sizes:
        part = work / f"corpus{size}"
        shutil.rmtree(part, ignore_errors=True)
        subset(corpus, part, size)
        part_mb = sum(p.stat().st_size for p in part.rglob("*.txt")) / 1e6
        s, rss = timed(auditor(py, "clean", str(part), "--out", str(out), "--report",
                               str(work / "c3.csv"), "-j", "2"), out)
        record(f"auditor clean -j 2 ({size:,})", s, 2, rss, size, part_mb)
        shutil.rmtree(out, ignore_errors=True)
    if args.peer_python:
        peer_docs, peer_src, peer_mb = n, corpus, mb
        if 0 < args.peer_docs < n:
            peer_docs, peer_src = args.peer_docs, work / f"corpus{args.peer_docs}"
            shutil.rmtree(peer_src, ignore_errors=True)
            subset(corpus, peer_src, peer_docs)
            peer_mb = sum(p.stat().st_size for p in peer_src.rglob("*.txt")) / 1e6
        s, _ = timed([args.peer_python, "-c", PEER, str(peer_src), str(out)], out)
        record("datatrove C4+Gopher+FineWeb", s, 1, None, peer_docs, peer_mb)
        shutil.rmtree(out, ignore_errors=True)
    else:
        print("peer: skipped (give --peer-python PATH, an interpreter with "
              "datatrove[processing] and spacy, to run datatrove's filter stack)")

    floor = results["floor read-decode-write"]["docs_s"]
    clean1 = results["auditor clean -j 1"]["docs_s"]
    print()
    print(f"clean -j 1 is {floor / clean1:.1f}x slower than the bare read-decode-write pass")
    print(f"clean scales {results['auditor clean -j 2']['docs_s'] / clean1:.2f}x from 1 to 2 jobs "
          f"({os.cpu_count()} CPUs; two independent busy processes get "
          f"{results['machine ceiling']['two_processes']:.2f}x the work of one here)")
    peaks = [(size, results[f"auditor clean -j 2 ({size:,})"]["rss_total_mb"]) for size in sizes]
    peaks.append((n, results["auditor clean -j 2"]["rss_total_mb"]))
    print("peak memory of clean -j 2: " + ", ".join(f"{mb_:.0f} MB at {size:,} documents"
                                                     for size, mb_ in peaks))
    cost = json.loads(subprocess.run([py, "-c", DATE_COST, str(corpus), "1000"], check=True,
                                     capture_output=True, text=True).stdout)
    results["date cost"] = cost
    print(f"date finding: {cost['dates_ms_kb']:.3f} ms per KB of text, "
          f"{cost['share']:.0%} of all rules ({cost['clean_ms_kb']:.3f} ms/KB) on "
          f"{cost['docs']:,} documents, {cost['kb']:,.0f} KB, in one process")
    if "datatrove C4+Gopher+FineWeb" in results:
        peer = results["datatrove C4+Gopher+FineWeb"]["docs_s"]
        ratio = f"{peer / clean1:.1f}x slower" if peer > clean1 else f"{clean1 / peer:.1f}x faster"
        print(f"datatrove's filter stack: {peer:.1f} docs/s; auditor clean -j 1 is {ratio}")
    if args.json:
        args.json.write_text(json.dumps({"docs": n, "mb": mb, "results": results}, indent=2))


if __name__ == "__main__":
    main()
