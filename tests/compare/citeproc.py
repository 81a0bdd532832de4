#!/usr/bin/env python3
"""brief's citations and reference lists beside Pandoc 3's citeproc, on real papers.

Every JOSS paper in $BRIEF_CORPUS/joss/*/ is built under every style in $BRIEF_CSL_STYLES, once
with brief and once with `pandoc --citeproc`, and the two outputs are compared as text: each
reference entry (by key) and each in-text citation (aligned by their keys). See README.md here.
Standard library only.
"""

import argparse
import concurrent.futures
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ left in the repository
import differences  # noqa: E402  (beside this file)

REPO = Path(__file__).resolve().parents[2]
FLOOR_FILE = Path(__file__).resolve().with_name("citeproc-floor.tsv")
# The Pandoc the listed differences were taken with (pypandoc-binary 1.17 ships Pandoc 3.9):
# another one prints other texts, and every fingerprint would stop matching.
PYPANDOC = "pypandoc-binary==1.17"
GOAL_ENTRIES = 95.0
GOAL_IN_TEXT = 98.0
# brief's own additions inside a reference entry's <li>, not part of the formatted entry.
BRIEF_EXTRAS = {"backlinks", "reference-flag", "reference-links"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Setup(Exception):
    """Something the comparison needs is missing or broken (exit code 2)."""


# --- HTML -----------------------------------------------------------------------------------

class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, match, stop_inside=True):
        """Elements matching `match` in document order (not those nested in a match)."""
        for child in self.children:
            if isinstance(child, Node):
                if match(child):
                    yield child
                    if stop_inside:
                        continue
                yield from child.find_all(match, stop_inside)

    def text(self, skip=lambda node: False):
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not skip(child):
                parts.append(child.text(skip))
        return "".join(parts)


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text):
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def normalise(text):
    """Tags are already gone and entities decoded; collapse whitespace."""
    return " ".join(text.split())


def brief_outputs(html, check_json):
    """brief's page: ({key: entry text}, [(keys, text, anchor)])."""
    root = parse_html(html)
    entries = {}
    for section in root.find_all(lambda n: n.attrs.get("id") == "references"):
        for li in section.find_all(lambda n: n.tag == "li" and "reference" in n.classes()
                                   and n.attrs.get("id", "").startswith("ref-")):
            body = next(li.find_all(lambda n: "reference-text" in n.classes()), None)
            if body is not None:
                skip = lambda n: bool(BRIEF_EXTRAS.intersection(n.classes()))
                entries[li.attrs["id"][len("ref-"):]] = normalise(body.text(skip))
    # The keys of each citation, in written order, from `brief check`; the links are a fallback
    # (a collapsed "[3]–[7]" does not link every key).
    checked = {}
    for citation in (check_json or {}).get("citations", []):
        checked.setdefault(citation.get("anchor"), []).append(citation.get("key"))
    citations = []
    for span in root.find_all(lambda n: n.tag == "span" and "citation" in n.classes()):
        anchor = span.attrs.get("id", "")
        keys = checked.get(anchor) or [
            a.attrs["href"][len("#ref-"):] for a in span.walk()
            if a.tag == "a" and a.attrs.get("href", "").startswith("#ref-")]
        citations.append((keys, normalise(span.text()), anchor))
    return entries, citations


def pandoc_outputs(html):
    """Pandoc's fragment: ({key: entry text}, [(keys, text, None)])."""
    root = parse_html(html)
    entries = {}
    for refs in root.find_all(lambda n: n.attrs.get("id") == "refs"):
        for div in refs.find_all(lambda n: "csl-entry" in n.classes()):
            entries[div.attrs.get("id", "")[len("ref-"):]] = normalise(div.text())
    citations = [
        (span.attrs.get("data-cites", "").split(), normalise(span.text()), None)
        for span in root.find_all(lambda n: n.tag == "span" and "citation" in n.classes())
        if "data-cites" in span.attrs
    ]
    return entries, citations


# --- Tools ----------------------------------------------------------------------------------

def find_pandoc():
    if os.environ.get("PANDOC3"):
        pandoc = Path(os.environ["PANDOC3"])
    else:
        pattern = ".venv-pandoc/lib/python*/site-packages/pypandoc/files/pandoc"
        found = sorted(REPO.glob(pattern))
        if not found:
            venv = REPO / ".venv-pandoc"
            print(f"installing Pandoc 3 into {venv} ({PYPANDOC})…", file=sys.stderr)
            try:
                subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
                subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", PYPANDOC],
                               check=True)
            except (OSError, subprocess.CalledProcessError) as error:
                raise Setup(f"could not install {PYPANDOC} into {venv}: {error}")
            found = sorted(REPO.glob(pattern))
            if not found:
                raise Setup(f"pypandoc-binary installed no {pattern}")
        pandoc = found[-1]
    try:
        out = subprocess.run([str(pandoc), "--version"], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise Setup(f"cannot run {pandoc} --version: {error}")
    first = out.splitlines()[0] if out else ""
    if not re.match(r"pandoc(\.exe)? 3\.", first):
        raise Setup(f"{pandoc} is not Pandoc 3.x: `{first}` (set PANDOC3 to a Pandoc 3 binary)")
    return pandoc, first.split()[-1]


def front_matter_for(markdown, csl_name):
    """The paper with `bibliography: paper.bib` and `csl: STYLE` in place of its own."""
    lines = markdown.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise Setup("paper.md has no front matter")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise Setup("paper.md's front matter is not closed")
    kept, dropping = [], False
    for line in lines[1:end]:
        if re.match(r"(bibliography|csl)\s*:", line):
            dropping = True
            continue
        if dropping and (line[:1].isspace() or line.startswith("- ") or not line.strip()):
            continue
        dropping = False
        kept.append(line)
    kept += ["bibliography: paper.bib", f"csl: {csl_name}"]
    return "\n".join([lines[0]] + kept + lines[end:])


# A 1×1 PNG. The corpus ships no image files, and brief refuses to build a page whose image is
# missing (Pandoc warns and goes on); the images' captions hold citations, so they are built.
STAND_IN_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
    "0000000b4944415478da6364600000000600023081d02f0000000049454e44ae426082")
IMAGE_LINK = re.compile(r"\]\(([^)\s]+\.(?:png|jpe?g|gif|svg|pdf))\)", re.IGNORECASE)


def write_stand_in_images(markdown, work):
    for match in IMAGE_LINK.finditer(markdown):
        target = (work / match.group(1)).resolve()
        if work.resolve() in target.parents and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(STAND_IN_PNG)


def run_one(job):
    """Build one paper under one style with both tools, in a folder of its own."""
    paper, style, brief, pandoc, scratch, engine = job
    work = Path(scratch) / f"{paper.name}--{style.stem}"
    work.mkdir()
    for bib in sorted(paper.glob("*.bib")):
        shutil.copyfile(bib, work / bib.name)
    shutil.copyfile(style, work / style.name)
    text = (paper / "paper.md").read_text(encoding="utf-8")
    (work / "paper.md").write_text(front_matter_for(text, style.name), encoding="utf-8")
    write_stand_in_images(text, work)
    result = {"paper": paper.name, "style": style.stem, "brief_error": None}

    run = subprocess.run([str(pandoc), "--citeproc", "--csl", style.name, "--bibliography",
                          "paper.bib", "-t", "html", "paper.md"],
                         cwd=work, capture_output=True, text=True)
    if run.returncode != 0:
        raise Setup(f"pandoc failed on {paper.name} ({style.stem}): {run.stderr.strip()}")
    result["pandoc"] = pandoc_outputs(run.stdout)

    if engine is not None:
        result["brief"] = engine_outputs(engine, work, style.name, result["pandoc"][1])
        return result
    build = subprocess.run([str(brief), "build", "paper.md", "--out", "out", "--no-cache"],
                           cwd=work, capture_output=True, text=True)
    page = work / "out" / "index.html"
    if build.returncode != 0 or not page.is_file():
        first = (build.stderr.strip().splitlines() or ["no index.html"])[0]
        result["brief_error"] = first
        result["brief"] = ({}, [])
        return result
    check = subprocess.run([str(brief), "check", "paper.md", "--format", "json"],
                           cwd=work, capture_output=True, text=True)
    try:
        check_json = json.loads(check.stdout)
    except ValueError:
        check_json = None
    result["brief"] = brief_outputs(page.read_text(encoding="utf-8"), check_json)
    return result


def engine_outputs(engine, work, style_name, pandoc_citations):
    """brief's own CSL engine, run directly (examples/csl_render) on the paper's .bib and the
    style, with Pandoc's citations (their keys, in order): what `brief build` will print once
    the engine replaces hayagriva's. Prefixes, locators and narrative forms are not passed."""
    keys = [list(c[0]) for c in pandoc_citations]
    run = subprocess.run([str(engine), "paper.bib", style_name], cwd=work,
                         input=json.dumps(keys), capture_output=True, text=True)
    if run.returncode != 0:
        return {}, []
    out = json.loads(run.stdout)
    # The margin and the text beside it read as two columns: a space between them.
    entries = {key: normalise(parse_html(html.replace(
                   '</div><div class="csl-right-inline">', '</div> <div class="csl-right-inline">'
               )).text())
               for key, html in out.get("entries", {}).items()}
    citations = [(k, normalise(parse_html(html).text()), None)
                 for k, html in zip(keys, out.get("citations", []))]
    return entries, citations


# --- Comparison -----------------------------------------------------------------------------

def pair(kind, result, key, brief_text, pandoc_text, extra=None):
    same = brief_text is not None and pandoc_text is not None and brief_text == pandoc_text
    return dict({
        "style": result["style"], "paper": result["paper"], "kind": kind, "key": key,
        "brief": brief_text, "pandoc": pandoc_text, "identical": same,
        "same_ignoring_case": brief_text is not None and pandoc_text is not None
        and brief_text.casefold() == pandoc_text.casefold(),
    }, **(extra or {}))


def align(a, b):
    """Pairs (i, j, matched) of two lists of key tuples, in brief's reading order.

    difflib aligns the two sequences; a citation it leaves out is then matched with a leftover
    one of the same keys elsewhere (Pandoc gathers footnotes at the end of the page, brief
    keeps them where they are written). What is still left is paired by position inside its
    block, unmatched (or with None when one side has more).
    """
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    left_b = [i for op, i1, i2, _, _ in opcodes if op != "equal" for i in range(i1, i2)]
    left_p = [j for op, _, _, j1, j2 in opcodes if op != "equal" for j in range(j1, j2)]
    moved = {}
    for i in left_b:
        j = next((j for j in left_p if a[i] == b[j] and j not in moved.values()), None)
        if j is not None:
            moved[i] = j
    used = set(moved.values())
    pairs = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            pairs += [(i, j, True) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        pairs += [(i, moved[i], True) for i in range(i1, i2) if i in moved]
        rest_b = [i for i in range(i1, i2) if i not in moved]
        rest_p = [j for j in range(j1, j2) if j not in used]
        for k in range(max(len(rest_b), len(rest_p))):
            pairs.append((rest_b[k] if k < len(rest_b) else None,
                          rest_p[k] if k < len(rest_p) else None, False))
    return pairs


def compare(result):
    (b_entries, b_cites), (p_entries, p_cites) = result["brief"], result["pandoc"]
    pairs = [pair("entry", result, key, b_entries.get(key), p_entries.get(key))
             for key in sorted(set(b_entries) | set(p_entries))]
    a = [tuple(sorted(c[0])) for c in b_cites]
    b = [tuple(sorted(c[0])) for c in p_cites]
    for i, j, matched in align(a, b):
        bc = b_cites[i] if i is not None else None
        pc = p_cites[j] if j is not None else None
        p = pair("citation", result, " ".join((pc or bc)[0]), bc and bc[1], pc and pc[1], {
            "brief_anchor": bc and bc[2], "pandoc_index": None if j is None else j + 1,
            "brief_keys": bc and bc[0], "pandoc_keys": pc and pc[0]})
        if not matched:  # a citation with no counterpart of the same keys counts as different
            p["identical"] = p["same_ignoring_case"] = False
        pairs.append(p)
    return pairs


def percent(n, m):
    return f"{n}/{m} ({100.0 * n / m:.1f}%)" if m else "0/0 (-)"


def summarise(pairs, styles):
    rows = {}
    for style in styles + ["all"]:
        mine = [p for p in pairs if style == "all" or p["style"] == style]
        entries = [p for p in mine if p["kind"] == "entry"]
        cites = [p for p in mine if p["kind"] == "citation"]
        rows[style] = {
            "entries_identical": sum(p["identical"] for p in entries),
            "entries_ignoring_case": sum(p["same_ignoring_case"] for p in entries),
            "entries_total": len(entries),
            "in_text_identical": sum(p["identical"] for p in cites),
            "in_text_total": len(cites),
            "differences": sum(not p["identical"] for p in mine),
            "differences_listed": sum(differences.explained(p) for p in mine),
        }
    return rows


def goal_met(row):
    def pct(n, m):
        return 100.0 * n / m if m else 0.0
    return (pct(row["entries_identical"], row["entries_total"]) >= GOAL_ENTRIES
            and pct(row["in_text_identical"], row["in_text_total"]) >= GOAL_IN_TEXT)


def listed_cell(row):
    if row["differences"] == row["differences_listed"]:
        return f"all {row['differences']}"
    return f"{row['differences_listed']} of {row['differences']}"


def print_table(rows, with_listed):
    head = ("style", "entries identical", "ignoring case", "in-text identical",
            f"goal (≥{GOAL_ENTRIES:g}% / ≥{GOAL_IN_TEXT:g}%)") + \
        (("differences listed with a rule",) if with_listed else ())
    lines = [head]
    for style, row in rows.items():
        lines.append((style,
                      percent(row["entries_identical"], row["entries_total"]),
                      percent(row["entries_ignoring_case"], row["entries_total"]),
                      percent(row["in_text_identical"], row["in_text_total"]),
                      "met" if goal_met(row) else "not met")
                     + ((listed_cell(row),) if with_listed else ()))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())


def print_diff(pairs):
    for p in pairs:
        if p["identical"]:
            continue
        where = f"{p['style']} · {p['paper']} · {p['kind']} {p['key']}"
        if p["kind"] == "citation":
            where += f" (brief {p['brief_anchor'] or '-'}, pandoc #{p['pandoc_index'] or '-'})"
            if p["brief_keys"] is not None and p["pandoc_keys"] is not None and \
                    sorted(p["brief_keys"]) != sorted(p["pandoc_keys"]):
                where += f" keys: brief {' '.join(p['brief_keys'])}"
        if p["same_ignoring_case"]:
            where += " [case only]"
        if p.get("rules"):
            where += f" [{', '.join(p['rules'])}]"
        print(f"== {where}")
        print(f"   brief : {p['brief'] if p['brief'] is not None else '(none)'}")
        print(f"   pandoc: {p['pandoc'] if p['pandoc'] is not None else '(none)'}")
    print()


# --- Floors ---------------------------------------------------------------------------------

FLOOR_COLUMNS = ["style", "entries_identical", "entries_total", "in_text_identical",
                 "in_text_total"]


def read_floors():
    if not FLOOR_FILE.is_file():
        raise Setup(f"no floor file {FLOOR_FILE} (run with --record to create it)")
    floors = {}
    for line in FLOOR_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("style\t"):
            continue
        cells = line.split("\t")
        floors[cells[0]] = dict(zip(FLOOR_COLUMNS[1:], map(int, cells[1:])))
    return floors


def write_floors(rows, pandoc_version):
    out = [f"# Floors for tests/compare/citeproc.py --check: the counts of entries and in-text",
           f"# citations identical to Pandoc {pandoc_version}'s citeproc last achieved. "
           "Rewrite with --record.",
           "\t".join(FLOOR_COLUMNS)]
    for style, row in rows.items():
        if style != "all":
            out.append("\t".join([style] + [str(row[c]) for c in FLOOR_COLUMNS[1:]]))
    FLOOR_FILE.write_text("\n".join(out) + "\n", encoding="utf-8")


def check_floors(rows):
    below = []
    for style, floor in sorted(read_floors().items()):
        row = rows.get(style)
        if row is None:
            below.append(f"{style}: style not measured")
            continue
        for column, label in (("entries_identical", "entries"), ("in_text_identical", "in-text")):
            if row[column] < floor[column]:
                below.append(f"{style}: {label} identical {row[column]} < floor {floor[column]}")
    return below


# --- Main -----------------------------------------------------------------------------------

def main():
    global FLOOR_FILE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brief", default=str(REPO / "target" / "release" / "brief"),
                        help="the brief binary (default: target/release/brief)")
    parser.add_argument("--diff", action="store_true", help="print every differing pair")
    parser.add_argument("--json", metavar="FILE", help="write every pair to FILE")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if an identical count drops below its floor")
    parser.add_argument("--record", action="store_true",
                        help=f"rewrite {FLOOR_FILE.name} with today's counts")
    parser.add_argument("--jobs", type=int, default=2, help="builds in parallel (default 2)")
    parser.add_argument("--engine", metavar="PATH",
                        help="measure brief's own CSL engine directly with this csl_render "
                             "binary (cargo build --release --example csl_render) instead of "
                             "`brief build`; floors in citeproc-engine-floor.tsv")
    args = parser.parse_args()
    if args.engine:
        FLOOR_FILE = FLOOR_FILE.with_name("citeproc-engine-floor.tsv")
    engine = Path(args.engine).resolve() if args.engine else None

    corpus = Path(os.environ.get("BRIEF_CORPUS") or REPO.parent / "shared" / "corpus")
    styles_dir = Path(os.environ.get("BRIEF_CSL_STYLES") or REPO.parent / "shared" / "csl-styles")
    brief = Path(args.brief).resolve()
    papers = sorted(p.parent for p in (corpus / "joss").glob("*/paper.md"))
    styles = sorted(styles_dir.glob("*.csl"))
    if not brief.is_file():
        raise Setup(f"no brief binary at {brief} (cargo build --release, or pass --brief)")
    if not papers:
        raise Setup(f"no papers in {corpus / 'joss'}/*/paper.md (set BRIEF_CORPUS)")
    if not styles:
        raise Setup(f"no .csl styles in {styles_dir} (set BRIEF_CSL_STYLES)")
    pandoc, version = find_pandoc()

    with tempfile.TemporaryDirectory(prefix="brief-citeproc-") as scratch:
        jobs = [(paper, style, brief, pandoc, scratch, engine)
                for style in styles for paper in papers]
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(run_one, jobs))

    pairs = [p for result in results for p in compare(result)]
    failures = [f"{r['style']} · {r['paper']}: {r['brief_error']}"
                for r in results if r["brief_error"]]
    # The list of differences is for what readers get, `brief build`, not the engine alone.
    listing = differences.read(Setup) if not engine else differences.Listing([], None)
    stale = differences.attach_rules(pairs, listing) if not engine else []
    rows = summarise(pairs, [s.stem for s in styles])

    if args.diff:
        print_diff(pairs)
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"pandoc": version, "papers": [p.name for p in papers],
             "styles": [s.stem for s in styles], "summary": rows, "brief_failures": failures,
             "pairs": pairs}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"brief vs Pandoc {version} citeproc: {len(papers)} papers × {len(styles)} styles")
    print_table(rows, with_listed=not engine)
    for failure in failures:
        print(f"brief failed: {failure}")

    status = 0
    if args.check:
        below = check_floors(rows)
        for line in below:
            print(f"below floor: {line}")
        if below:
            status = 1
        else:
            print(f"floors held ({FLOOR_FILE.name})")
        if not engine:
            problems = differences.check(pairs, stale, listing, version)
            for line in problems:
                print(f"not listed: {line}")
            if problems:
                status = 1
            else:
                print("every difference listed with a rule "
                      f"({differences.DIFFERENCES_FILE.name})")
    if args.record:
        write_floors(rows, version)
        print(f"recorded {FLOOR_FILE.name}")
        if not engine:
            differences.write(pairs, version)
            print(f"recorded {differences.DIFFERENCES_FILE.name}")
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Setup as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
