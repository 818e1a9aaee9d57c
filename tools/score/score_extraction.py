#!/usr/bin/env python3
"""Scores `duban extract` against a hand annotation, per document.

usage: tools/score/score_extraction.py DOCUMENT ANNOTATION.jsonl [--duban PATH] [--implicit]
                                       [--extracted EXTRACTED.jsonl] [--by-label]
                                       [--kind explicit|implicit]

ANNOTATION is JSON Lines in the shape of tests/data/corpus_expected.jsonl: one object per clause
with doc, label, lead, participants, deadlines (and optionally part, kind). Clauses are matched on
(doc, part, label), or on (doc, label) when the annotation has no part, or on the label alone
with --by-label (one document per annotation; the document's name and header are not scored). Prints, per document:
clause recall and precision, and F1 of lead units, participant units and deadline dates
(pairs of clause label and mention/date, so a unit in the wrong clause counts as wrong); with
--implicit, the recall of clauses annotated "kind": "implicit" as its own column.
"""
import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict


def read_jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def norm(mention):
    """A unit as compared: bracket width and blanks do not matter (各县（市、区）政府 = 各县(市、区)政府)."""
    return "".join(mention.split()).replace("（", "(").replace("）", ")")


def f1(expected, actual):
    if not expected and not actual:
        return None
    tp = len(expected & actual)
    p = tp / len(actual) if actual else 0.0
    r = tp / len(expected) if expected else 0.0
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def fmt(x):
    return "  -  " if x is None else f"{x:5.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("document")
    ap.add_argument("annotation")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--duban", default=os.path.join(here, "..", "..", "build", "app", "duban"))
    ap.add_argument("--implicit", action="store_true", help="pass --implicit to duban extract")
    ap.add_argument("--extracted", help="score this JSONL instead of running duban")
    ap.add_argument("--by-label", action="store_true",
                    help="match clauses on their label alone, ignoring doc and part (for an annotation "
                         "of one document whose name and header duban may read differently)")
    ap.add_argument("--kind", choices=["explicit", "implicit"],
                    help="score only explicit clauses (notes and table rows) or only implicit ones, "
                         "on both sides")
    args = ap.parse_args()

    if args.extracted:
        with open(args.extracted, encoding="utf-8") as f:
            actual = read_jsonl(f.read())
    else:
        cmd = [args.duban, "extract", args.document, "--format", "jsonl"]
        if args.implicit:
            cmd.append("--implicit")
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            sys.stderr.write(run.stderr)
            return 1
        actual = read_jsonl(run.stdout)
    with open(args.annotation, encoding="utf-8") as f:
        expected = read_jsonl(f.read())

    if args.kind:
        def wanted(c):
            return (c.get("kind") == "implicit") == (args.kind == "implicit")
        expected = [e for e in expected if wanted(e)]
        actual = [a for a in actual if wanted(a)]

    use_part = all("part" in e for e in expected)
    if args.by_label:
        names = {e.get("doc", "") for e in expected}
        if len(names) != 1:
            sys.stderr.write("--by-label needs an annotation of exactly one document\n")
            return 2
        name = names.pop()
        use_part = False
        for a in actual:
            a["doc"] = name

    def key(c):
        return (c.get("doc", ""), c.get("part", "") if use_part else "", c["label"])

    docs = sorted({e.get("doc", "") for e in expected} | {a.get("doc", "") for a in actual})
    print(f"{'document':40} {'exp':>4} {'got':>4} {'recall':>6} {'prec':>6} "
          f"{'lead':>6} {'part':>6} {'dead':>6} {'impl':>6}")
    totals = defaultdict(set)
    for doc in docs:
        exp = {key(e): e for e in expected if e.get("doc", "") == doc}
        got = {key(a): a for a in actual if a.get("doc", "") == doc}
        matched = exp.keys() & got.keys()
        sets = {}
        for field in ("lead", "participants"):
            sets[field] = ({(k, norm(m)) for k, e in exp.items() for m in e.get(field, [])},
                           {(k, norm(m)) for k, a in got.items() for m in a.get(field, [])})
        sets["deadlines"] = ({(k, d["date"]) for k, e in exp.items() for d in e.get("deadlines", [])},
                             {(k, d["date"]) for k, a in got.items() for d in a.get("deadlines", [])})
        implicit = {k for k, e in exp.items() if e.get("kind") == "implicit"}
        recall = len(matched) / len(exp) if exp else None
        precision = len(matched) / len(got) if got else None
        impl = len(implicit & got.keys()) / len(implicit) if implicit else None
        print(f"{doc[:40]:40} {len(exp):4} {len(got):4} {fmt(recall):>6} {fmt(precision):>6} "
              f"{fmt(f1(*sets['lead'])):>6} {fmt(f1(*sets['participants'])):>6} "
              f"{fmt(f1(*sets['deadlines'])):>6} {fmt(impl):>6}")
        totals["exp"] |= exp.keys()
        totals["got"] |= got.keys()
        totals["implicit"] |= implicit
        for field, (e, a) in sets.items():
            totals["e" + field] |= e
            totals["a" + field] |= a
    m = totals["exp"] & totals["got"]
    impl = len(totals["implicit"] & totals["got"]) / len(totals["implicit"]) if totals["implicit"] else None
    print(f"{'ALL':40} {len(totals['exp']):4} {len(totals['got']):4} "
          f"{fmt(len(m) / len(totals['exp']) if totals['exp'] else None):>6} "
          f"{fmt(len(m) / len(totals['got']) if totals['got'] else None):>6} "
          f"{fmt(f1(totals['elead'], totals['alead'])):>6} "
          f"{fmt(f1(totals['eparticipants'], totals['aparticipants'])):>6} "
          f"{fmt(f1(totals['edeadlines'], totals['adeadlines'])):>6} {fmt(impl):>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
