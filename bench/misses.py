#!/usr/bin/env python3
"""List what a pagerproof report missed and what it reported wrongly, per category,
against a labels file (same matching rules as ../shared/bench/score.py, simplified):

    bench/misses.py --labels LABELS.jsonl --report report.json [--category TIMEOUT] [--exclude PREFIX]

A development aid: read each miss and each false positive, then fix the general
mechanism, never one line.
"""
import argparse
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "..", "..", "shared", "bench")
sys.path.insert(0, shared)
try:
    import score as S  # the official scorer's helpers
except ImportError:
    sys.exit("needs ../shared/bench/score.py (not in a user's clone)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--category", action="append", default=[])
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--slack", type=int, default=3)
    a = ap.parse_args()
    ex = [S.norm(x) for x in a.exclude]
    labels = [l for l in S.load_labels(a.labels) if not S.excluded(l.get("path"), ex)]
    findings = [f for f in S.load_findings(a.report) if not S.excluded(f.get("path"), ex)]
    cats = a.category or sorted({l["category"] for l in labels})
    for cat in cats:
        labs = [l for l in labels if l["category"] == cat]
        for l in labs:
            l["_pol"] = S.polarity(l)
        fs = [f for f in findings if f.get("category") == cat]
        slack = max(a.slack, 30) if cat.startswith("K8S-") else a.slack
        missed, wrong = [], []
        for l in labs:
            if l["_pol"] != "pos":
                continue
            hit = False
            for f in fs:
                p, ln = S.norm(f.get("path")), f.get("line")
                if l.get("line") is not None and ln is not None:
                    hit |= p == S.norm(l["path"]) and abs(int(ln) - int(l["line"])) <= slack
                elif l.get("line") is None:
                    hit |= S.unit_match(cat, l, p)
            if not hit:
                missed.append(l)
        for f in fs:
            p, ln = S.norm(f.get("path")), f.get("line")
            near = [l for l in labs if l.get("line") is not None and ln is not None
                    and S.norm(l["path"]) == p and abs(int(l["line"]) - int(ln)) <= slack]
            near.sort(key=lambda l: abs(int(l["line"]) - int(ln)))
            lab = near[0] if near else None
            if lab is None and ln is None:
                c = [l for l in labs if l.get("line") is None and S.unit_match(cat, l, p)]
                lab = c[0] if c else None
            if lab is not None and lab["_pol"] == "neg":
                wrong.append((f, lab))
        if not missed and not wrong:
            continue
        print(f"== {cat}: {len(missed)} missed, {len(wrong)} wrong")
        for l in missed:
            print(f"  MISS {l['path']}:{l.get('line')} {l['subject'][:70]} | {l['evidence'][:90]}")
        for f, l in wrong:
            print(f"  FP   {f.get('path')}:{f.get('line')} {f.get('message', '')[:80]} | label: {l['verdict']} {l['evidence'][:70]}")


if __name__ == "__main__":
    main()
