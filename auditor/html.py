"""The HTML report: one self-contained page (inline SVG, no scripts, no network)
that shows problems per category and rule, the files with most problems, the
date status of the corpus and a few examples of each rule.

`Summary` takes report rows as they stream by and keeps only counts and a few
examples, so a report of any size fits in memory. It counts problems: a hit
folded into another rule's row (`same_as`) is not counted again.
"""
from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from auditor.report import is_problem

EXAMPLES_PER_RULE = 3
TOP_FILES = 15
COLOURS = {"header": "#4e79a7", "date": "#f28e2b", "navigation": "#e15759", "caption": "#76b7b2",
           "appended": "#59a14f", "duplicate": "#edc948", "truncation": "#b07aa1",
           "layout": "#ff9da7", "encoding": "#9c755f", "typography": "#bab0ac"}
DATE_STATUS = {"header-date-mismatch": "contradiction", "header-date-anachronism": "contradiction",
               "header-date-suspect": "suspect", "header-date-missing": "missing",
               "header-date-malformed": "missing"}
DATE_COLOURS = {"contradiction": "#e15759", "suspect": "#edc948", "missing": "#f28e2b"}


@dataclass
class Summary:
    by_category: Counter = field(default_factory=Counter)
    by_rule: Counter = field(default_factory=Counter)
    by_action: Counter = field(default_factory=Counter)
    by_file: Counter = field(default_factory=Counter)
    rule_names: dict = field(default_factory=dict)
    date_files: dict = field(default_factory=lambda: defaultdict(set))
    examples: dict = field(default_factory=lambda: defaultdict(list))

    def add(self, records: Iterable[dict]) -> None:
        for r in filter(is_problem, records):
            self.by_category[r["category"]] += 1
            self.by_rule[r["rule"]] += 1
            self.by_action[r["action"]] += 1
            self.by_file[r["file"]] += 1
            self.rule_names[r["rule"]] = (r["name"], r["category"], r["severity"])
            if r["name"] in DATE_STATUS:
                self.date_files[DATE_STATUS[r["name"]]].add(r["file"])
            if len(self.examples[r["rule"]]) < EXAMPLES_PER_RULE:
                self.examples[r["rule"]].append(
                    {k: r[k] for k in ("file", "line", "end_line", "action", "message", "excerpt")})


def _bars(counts: list[tuple[str, int]], colour_of=lambda label: "#4e79a7", width: int = 640) -> str:
    """A horizontal bar chart as inline SVG."""
    if not counts:
        return "<p class=none>nothing to show</p>"
    top = max(n for _, n in counts) or 1
    row, label_w = 22, 230
    h = row * len(counts) + 6
    parts = [f'<svg class=chart role=img width="{width}" height="{h}" viewBox="0 0 {width} {h}">']
    for i, (label, n) in enumerate(counts):
        y = i * row + 3
        w = max(2, int((width - label_w - 60) * n / top))
        short = label if len(label) <= 34 else "…" + label[-33:]
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{html.escape(short)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w}" height="{row - 6}" fill="{colour_of(label)}">'
                     f'<title>{html.escape(label)}: {n}</title></rect>'
                     f'<text x="{label_w + w + 6}" y="{y + 14}">{n:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(summary: Summary, title: str = "auditor report", documents: int | None = None) -> str:
    s = summary
    total = sum(s.by_category.values())
    rules = [(f"{code} {s.rule_names[code][0]}", n) for code, n in s.by_rule.most_common()]
    rule_colour = {f"{c} {v[0]}": COLOURS.get(v[1], "#888") for c, v in s.rule_names.items()}
    dates = [(status, len(files)) for status, files in sorted(s.date_files.items())]
    if documents is not None:
        flagged = set().union(*s.date_files.values()) if s.date_files else set()
        dates.append(("no date problem found", max(0, documents - len(flagged))))
    cards = "".join(f"<div class=card><b>{n:,}</b><span>{html.escape(k)}</span></div>" for k, n in
                    [("problems", total), ("files with problems", len(s.by_file)),
                     *[(a, s.by_action[a]) for a in ("removed", "fixed", "flagged")]])
    examples = []
    for code, _ in s.by_rule.most_common():
        name, category, severity = s.rule_names[code]
        rows = "".join(
            f"<tr><td>{html.escape(str(e['file']))}:{e['line']}</td><td>{e['action']}</td>"
            f"<td>{html.escape(str(e['message']))}</td>"
            f"<td class={'gone' if e['action'] == 'removed' else 'kept'}>{html.escape(str(e['excerpt']))}</td></tr>"
            for e in s.examples[code])
        examples.append(f"<h3 id={code}>{code} {html.escape(name)} <small>{category}, {severity}</small></h3>"
                        f"<table><tr><th>where</th><th>action</th><th>message</th><th>text</th></tr>{rows}</table>")
    return f"""<!doctype html>
<html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>
<style>
body{{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}}
h1{{margin-bottom:.2em}} h3 small{{color:#777;font-weight:normal}}
.cards{{display:flex;gap:1em;margin:1em 0}} .card{{border:1px solid #ddd;border-radius:6px;padding:.6em 1em}}
.card b{{display:block;font-size:1.6em}} .card span{{color:#666}}
svg.chart text{{font-size:12px;fill:#333}}
table{{border-collapse:collapse;width:100%;margin-bottom:1em}} td,th{{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}}
td.gone{{text-decoration:line-through;color:#a33}} td.kept{{color:#333}}
</style></head><body>
<h1>{html.escape(title)}</h1>
<div class=cards>{cards}</div>
<h2>Problems by category</h2>{_bars(s.by_category.most_common(), lambda c: COLOURS.get(c, "#888"))}
<h2>Problems by rule</h2>{_bars(rules, lambda r: rule_colour.get(r, "#888"))}
<h2>Files with most problems</h2>{_bars(s.by_file.most_common(TOP_FILES))}
<h2>Date status</h2>{_bars(dates, lambda d: DATE_COLOURS.get(d, "#59a14f"))}
<h2>Examples</h2>{"".join(examples) or "<p class=none>no problems</p>"}
</body></html>
"""
