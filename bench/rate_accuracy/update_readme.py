#!/usr/bin/env python3
"""Copies the BD-rate and speed tables of results.md into README.md.

Usage: update_readme.py RESULTS_MD README_MD

Replaces everything between the README's two "rate_accuracy tables" marker
comments, so the README always shows the numbers of the last
bench/rate_accuracy.sh run. Exits 1 with a message when a marker or a table
is missing, leaving README.md untouched.
"""
import re
import sys

BEGIN = "<!-- rate_accuracy tables: bench/rate_accuracy.sh rewrites this block from results.md -->"
END = "<!-- rate_accuracy tables: end -->"
CAPTIONS = [
    "BD-rate of vlmc against each baseline (positive: vlmc needs more bits "
    "for the same quality; †: see results.md):",
    "Mean encode and decode time per image in the same run, and the ratio "
    "to vlmc:",
]


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: update_readme.py RESULTS_MD README_MD")
    results = open(argv[1], encoding="utf-8").read()
    readme = open(argv[2], encoding="utf-8").read()
    tables = [m.group(0) for m in re.finditer(r"(?m)(?:^\|.*\|\n)+", results)]
    if len(tables) < 2:
        sys.exit(f"update_readme.py: expected the BD-rate and speed tables in {argv[1]}, found {len(tables)}")
    begin, end = readme.find(BEGIN), readme.find(END)
    if begin < 0 or end < begin:
        sys.exit(f"update_readme.py: {argv[2]} lacks the rate_accuracy marker comments")
    block = "\n".join(f"{caption}\n\n{table}" for caption, table in zip(CAPTIONS, tables))
    updated = readme[: begin + len(BEGIN)] + "\n" + block + readme[end:]
    with open(argv[2], "w", encoding="utf-8") as out:
        out.write(updated)


if __name__ == "__main__":
    main(sys.argv)
