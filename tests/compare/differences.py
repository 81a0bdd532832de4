"""The differences from Pandoc that are left, each listed with the rules that explain it.

Pandoc is sometimes wrong, so not every difference is brief's to fix. `citeproc-differences.tsv`
lists each one (style, paper, kind, key, rules, a fingerprint of both texts); the rules are
names the top-level README defines under "Differences from Pandoc's citeproc". citeproc.py
attaches the rules to its pairs, and `--check` refuses a difference that is not listed that way.
Standard library only.
"""

import hashlib
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DIFFERENCES_FILE = Path(__file__).resolve().with_name("citeproc-differences.tsv")
UNEXPLAINED = "unexplained"
COLUMNS = ["style", "paper", "kind", "key", "rules", "fingerprint"]
PANDOC_LINE = re.compile(r"^# pandoc: (\S+)$")


class Listing:
    """The rows of the file, and the Pandoc version their fingerprints were taken with."""

    def __init__(self, rows, pandoc):
        self.rows = rows
        self.pandoc = pandoc


def fingerprint(p):
    """Both sides' text: a listed difference that changes on either side is listed no more."""
    text = f"{p['brief']}\x00{p['pandoc']}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def where(p):
    return f"{p['style']} · {p['paper']} · {p['kind']} {p['key']}"


def explained(p):
    """Listed, and with rules the README defines."""
    return (not p["identical"] and bool(p.get("rules")) and not p.get("undefined_rules")
            and UNEXPLAINED not in p["rules"])


def read(setup_error):
    if not DIFFERENCES_FILE.is_file():
        return Listing([], None)
    rows, pandoc = [], None
    for number, line in enumerate(DIFFERENCES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        version = PANDOC_LINE.match(line)
        if version:
            pandoc = version.group(1)
        if not line.strip() or line.startswith("#") or line.startswith("style\t"):
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise setup_error(f"{DIFFERENCES_FILE.name}:{number}: expected {len(COLUMNS)} "
                              f"tab-separated columns, found {len(cells)}")
        row = dict(zip(COLUMNS, cells))
        row["rules"] = [r.strip() for r in row["rules"].split(",") if r.strip()]
        row["line"] = number
        rows.append(row)
    return Listing(rows, pandoc)


def attach_rules(pairs, listing):
    """Gives each differing pair the rules of its listed row; returns the rows left over."""
    defined = documented_rules()
    waiting = {}
    for row in listing.rows:
        key = (row["style"], row["paper"], row["kind"], row["key"], row["fingerprint"])
        waiting.setdefault(key, []).append(row)
    for p in pairs:
        if p["identical"]:
            continue
        key = (p["style"], p["paper"], p["kind"], p["key"], fingerprint(p))
        rows = waiting.get(key)
        p["rules"] = rows.pop(0)["rules"] if rows else None
        p["undefined_rules"] = [r for r in p["rules"] or []
                                if r not in defined and r != UNEXPLAINED]
    return [row for rows in waiting.values() for row in rows]


def documented_rules():
    """The rule names the README's list of differences defines: each bullet opens with its
    title in bold and, in parentheses, its names in backticks and their counts."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.find("### Differences from Pandoc's citeproc")
    section = readme[start:] if start >= 0 else ""
    end = section.find("\n## ")
    section = section[:end] if end >= 0 else section
    names = set()
    # The bold title stays on the bullet's first line; the parentheses may wrap.
    for group in re.findall(r"^- \*\*[^\n]*?\*\* \(([^)]*)\)", section, re.M):
        names.update(re.findall(r"`([a-z0-9-]+)`", group))
    return names


def check(pairs, stale, listing, pandoc_version):
    """What keeps the list from explaining every difference, one line each."""
    problems = []
    if listing.pandoc and listing.pandoc != pandoc_version:
        problems.append(f"{DIFFERENCES_FILE.name} was made with Pandoc {listing.pandoc}, this "
                        f"is Pandoc {pandoc_version}: its texts differ, so no fingerprint "
                        "matches; run --record and review each `unexplained` row")
    changed = {(r["style"], r["paper"], r["kind"], r["key"]) for r in stale}
    for p in pairs:
        if p["identical"]:
            continue
        if not p.get("rules"):
            if (p["style"], p["paper"], p["kind"], p["key"]) in changed:
                problems.append(f"{where(p)}: its text changed since it was listed")
            else:
                problems.append(f"{where(p)}: a difference not in {DIFFERENCES_FILE.name}")
        elif UNEXPLAINED in p["rules"]:
            problems.append(f"{where(p)}: listed as {UNEXPLAINED}")
        for rule in p.get("undefined_rules") or []:
            problems.append(f"{where(p)}: rule `{rule}` is not in the README's list")
    differing = {(p["style"], p["paper"], p["kind"], p["key"])
                 for p in pairs if not p["identical"]}
    for row in stale:
        key = (row["style"], row["paper"], row["kind"], row["key"])
        if key not in differing:
            problems.append(f"{DIFFERENCES_FILE.name}:{row['line']}: {where(row)} differs no "
                            "more (run --record)")
    return problems


def write(pairs, pandoc_version):
    """Lists today's differences, keeping the rules of those already listed."""
    out = ["# Every difference from Pandoc's citeproc left on the JOSS corpus, with the rules",
           "# (README, \"Differences from Pandoc's citeproc\") that say which side is right.",
           "# The fingerprint covers both texts: if either changes, the row no longer matches.",
           f"# --record rewrites this file; a new difference gets `{UNEXPLAINED}`, which",
           "# --check refuses until a rule is written in its place.",
           f"# pandoc: {pandoc_version}",
           "\t".join(COLUMNS)]
    for p in pairs:
        if p["identical"]:
            continue
        rules = p.get("rules") or [UNEXPLAINED]
        out.append("\t".join([p["style"], p["paper"], p["kind"], p["key"], ",".join(rules),
                              fingerprint(p)]))
    DIFFERENCES_FILE.write_text("\n".join(out) + "\n", encoding="utf-8")
