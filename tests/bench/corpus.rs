//! A generated brief of any size, written three ways from the same Markdown: as a brief folder,
//! as one Pandoc document with a `.bib` file, and as a Hugo site. Deterministic for a seed.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The shape of a corpus.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub name: &'static str,
    pub sections: usize,
    pub references: usize,
    pub citations_per_section: usize,
    pub figures: usize,
    pub seed: u64,
}

/// The folders one corpus was written to.
pub struct Corpus {
    pub brief: PathBuf,
    /// `paper.md` and `references.bib`.
    pub pandoc: PathBuf,
    pub hugo: PathBuf,
}

/// A small, fast, seedable generator (xorshift64*): the corpus must not change between runs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "supply",
    "chain",
    "rare",
    "earth",
    "magnet",
    "export",
    "policy",
    "tariff",
    "processing",
    "capacity",
    "refining",
    "allies",
    "market",
    "price",
    "demand",
    "stockpile",
    "mine",
    "oxide",
    "industry",
    "security",
    "investment",
    "permits",
    "recycling",
    "technology",
    "production",
    "risk",
    "leverage",
    "agreement",
    "licence",
    "defence",
    "vehicles",
    "turbines",
    "costs",
];
/// Surnames are built from syllables (about 30,000 of them, plus a few common ones drawn more
/// often), so that, as in real reference lists, a few sources share a first author and a year.
const SYLLABLES: &[&str] = &[
    "an", "ber", "cha", "do", "el", "fan", "ga", "hol", "ik", "jo", "ka", "lin", "mo", "na", "or",
    "pe", "qui", "ro", "sa", "ta", "u", "vel", "wa", "xi", "ya", "zu", "mer", "son", "ova", "ski",
];
const COMMON_SURNAMES: &[&str] = &["Smith", "Chen", "Garcia", "Nguyen", "Müller", "O'Brien"];
const ORGS: &[&str] = &[
    "U.S. Geological Survey",
    "International Energy Agency",
    "Reuters",
    "Center for Strategic and International Studies",
    "Department of Energy",
    "European Commission",
];

/// A sentence of `least` to `least + spread - 1` words.
fn surname(rng: &mut Rng) -> String {
    if rng.below(10) == 0 {
        return rng.pick(COMMON_SURNAMES).to_string();
    }
    let syllables = 2 + rng.below(2);
    let name: String = (0..syllables).map(|_| rng.pick(SYLLABLES)).collect();
    let mut chars = name.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn sentence(rng: &mut Rng, least: usize, spread: usize) -> String {
    let words = least + rng.below(spread.max(1));
    let mut text = String::new();
    for i in 0..words {
        let word = rng.pick(WORDS);
        if i == 0 {
            let mut chars = word.chars();
            let first = chars.next().unwrap().to_uppercase().collect::<String>();
            text.push_str(&first);
            text.push_str(chars.as_str());
        } else {
            text.push(' ');
            text.push_str(word);
        }
    }
    text
}

fn bibtex(rng: &mut Rng, references: usize) -> String {
    let mut bib = String::new();
    for i in 0..references {
        let year = 2015 + rng.below(11);
        let author = if rng.below(4) == 0 {
            format!("{{{}}}", rng.pick(ORGS))
        } else {
            let count = 1 + rng.below(3);
            (0..count)
                .map(|_| {
                    format!(
                        "{}, {}.",
                        surname(rng),
                        (b'A' + rng.below(26) as u8) as char
                    )
                })
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let title = sentence(rng, 6, 6);
        let _ = write!(
            bib,
            "@article{{ref{i},\n  author = {{{author}}},\n  title = {{{title}}},\n  journal = {{Journal of {}}},\n  year = {{{year}}},\n  volume = {{{}}},\n  pages = {{{}--{}}},\n  doi = {{10.5555/bench.{i}}}\n}}\n\n",
            rng.pick(WORDS),
            1 + rng.below(40),
            10 + i % 90,
            20 + i % 90,
        );
    }
    bib
}

/// One citation in Pandoc syntax: one to three keys, sometimes a locator, sometimes narrative.
fn citation(rng: &mut Rng, references: usize) -> String {
    let count = 1 + rng.below(3);
    let keys: Vec<String> = (0..count)
        .map(|_| format!("@ref{}", rng.below(references)))
        .collect();
    match rng.below(6) {
        0 => format!("{} shows that", keys[0]),
        1 => format!("[{}, p. {}]", keys[0], 1 + rng.below(300)),
        _ => format!("[{}]", keys.join("; ")),
    }
}

fn section_body(rng: &mut Rng, shape: &Shape, index: usize, figure: Option<usize>) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "## Part {index} in brief\n");
    for c in 0..shape.citations_per_section {
        let cite = citation(rng, shape.references);
        let _ = writeln!(
            body,
            "{} {cite}. {}.\n",
            sentence(rng, 12, 10),
            sentence(rng, 8, 12),
        );
        if c == 0 {
            let _ = writeln!(
                body,
                "- {}\n- {}\n",
                sentence(rng, 6, 1),
                sentence(rng, 7, 1)
            );
        }
    }
    if let Some(n) = figure {
        let _ = writeln!(
            body,
            "```figure\nid: fig{n}\nkind: bar\ndata: data/fig{n}.csv\nlabel: region\nvalue: tonnes\ntitle: \"Production by region, figure {n}.\"\nalt: \"Bar chart of production by region.\"\n```\n"
        );
    }
    body
}

/// Writes the corpus under `root/NAME/`, replacing what was there.
pub fn generate(root: &Path, shape: &Shape) -> Corpus {
    let base = root.join(shape.name);
    let _ = fs::remove_dir_all(&base);
    let corpus = Corpus {
        brief: base.join("brief"),
        pandoc: base.join("pandoc"),
        hugo: base.join("hugo"),
    };
    for dir in [
        corpus.brief.join("content"),
        corpus.brief.join("data"),
        corpus.pandoc.clone(),
        corpus.hugo.join("content"),
        corpus.hugo.join("layouts/_default"),
    ] {
        fs::create_dir_all(dir).unwrap();
    }
    let mut rng = Rng(shape.seed | 1);
    let bib = bibtex(&mut rng, shape.references);
    fs::write(corpus.brief.join("data/references.bib"), &bib).unwrap();
    fs::write(corpus.pandoc.join("references.bib"), &bib).unwrap();

    let title = format!("Benchmark brief: {}", shape.name);
    fs::write(
        corpus.brief.join("content/_index.md"),
        // HTML against HTML: Pandoc and Hugo write no PDF here (`--bench compare -- pdf` measures it).
        format!("---\ntitle: \"{title}\"\nauthor: \"Bench Author\"\ndate: 2026-01-01\nbibliography: data/references.bib\ncsl: chicago-author-date\npdf: false\n---\n"),
    )
    .unwrap();
    let mut pandoc = format!(
        "---\ntitle: \"{title}\"\nauthor: \"Bench Author\"\ndate: 2026-01-01\nbibliography: references.bib\n---\n\n"
    );
    fs::write(
        corpus.hugo.join("config.toml"),
        format!("baseURL = \"https://example.org/\"\ntitle = \"{title}\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n"),
    )
    .unwrap();
    fs::write(
        corpus.hugo.join("layouts/_default/single.html"),
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n",
    )
    .unwrap();
    fs::write(
        corpus.hugo.join("layouts/_default/list.html"),
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n",
    )
    .unwrap();

    let every = if shape.figures == 0 {
        usize::MAX
    } else {
        shape.sections.div_ceil(shape.figures)
    };
    let mut figures = 0;
    for s in 0..shape.sections {
        let figure = (s % every == 0 && figures < shape.figures).then(|| {
            figures += 1;
            figures
        });
        if let Some(n) = figure {
            let mut csv = String::from("region,tonnes\n");
            for region in ["China", "United States", "Australia", "Myanmar", "Other"] {
                let _ = writeln!(csv, "{region},{}", 1000 + rng.below(90_000));
            }
            fs::write(corpus.brief.join(format!("data/fig{n}.csv")), csv).unwrap();
        }
        let section_title = format!("Section {}: {}", s + 1, sentence(&mut rng, 3, 1));
        let body = section_body(&mut rng, shape, s + 1, figure);
        fs::write(
            corpus
                .brief
                .join(format!("content/{:04}-section.md", s + 1)),
            format!(
                "---\ntitle: \"{section_title}\"\norder: {}\nslug: section-{}\n---\n\n{body}",
                s + 1,
                s + 1
            ),
        )
        .unwrap();
        fs::write(
            corpus.hugo.join(format!("content/section-{:04}.md", s + 1)),
            format!(
                "---\ntitle: \"{section_title}\"\nweight: {}\n---\n\n{body}",
                s + 1
            ),
        )
        .unwrap();
        let _ = write!(pandoc, "# {section_title}\n\n{body}\n");
    }
    pandoc.push_str("# References\n");
    fs::write(corpus.pandoc.join("paper.md"), pandoc).unwrap();
    corpus
}
