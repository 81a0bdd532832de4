//! Entries read from small `.bib` snippets, checked field by field against what Pandoc makes of
//! them (and, where this reader departs from Pandoc, against what is right).

use serde_json::json;

use crate::cite::read::{line_of, read_bibtex, to_csl_json};
use crate::csl::reference::{
    Date, DateParts, DateVariable, Kind, Name, NameVariable, NumberVariable, PageVariable,
    Reference, StandardVariable, Value, Variable,
};

fn read(text: &str) -> Reference {
    let file = read_bibtex(text);
    assert!(file.warnings.is_empty(), "{:?}", file.warnings);
    file.entries[0].reference.clone()
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

#[test]
fn an_article_as_pandoc_reads_it() {
    let reference = read(
        r"@article{a1, author = {R.~Kavanagh and {Square, Inc.} and others},
          title = {A {Bayesian} Study of {NASA} Data: The Case of \emph{E. coli}},
          journal = {Journal of {The} Things}, year = 2020, month = mar, number = {3},
          volume = 12, pages = {10--20}, doi = {https://doi.org/10.1000/xyz},
          eprint = {2001.00001}, archivePrefix = {arXiv}, langid = {english}}",
    );
    let mut expected = Reference::new("a1", Kind::ArticleJournal);
    let standard = Variable::Standard;
    expected.fields = vec![
        (standard(StandardVariable::Language), text("en-US")),
        (
            standard(StandardVariable::Title),
            text("A <span class=\"nocase\">Bayesian</span> study of <span class=\"nocase\">NASA</span> data: The case of <i>e. coli</i>"),
        ),
        (
            standard(StandardVariable::TitleShort),
            text("A <span class=\"nocase\">Bayesian</span> study of <span class=\"nocase\">NASA</span> data"),
        ),
        (
            standard(StandardVariable::ContainerTitle),
            text("Journal of <span class=\"nocase\">The</span> Things"),
        ),
        (
            Variable::Name(NameVariable::Author),
            Value::Names(vec![
                Name::person("Kavanagh", Some("R.".into())),
                Name::literal("Square, Inc."),
                Name::literal("others"),
            ]),
        ),
        (Variable::Number(NumberVariable::Volume), text("12")),
        (Variable::Page(PageVariable::Page), text("10-20")),
        (Variable::Number(NumberVariable::Issue), text("3")),
        (
            Variable::Date(DateVariable::Issued),
            Value::Date(Date {
                parts: vec![DateParts {
                    year: 2020,
                    month: Some(3),
                    day: None,
                }],
                ..Date::default()
            }),
        ),
        (standard(StandardVariable::URL), text("https://arxiv.org/abs/2001.00001")),
        (standard(StandardVariable::DOI), text("10.1000/xyz")),
    ];
    assert_eq!(reference, expected);
}

#[test]
fn types_and_their_fields() {
    let thesis = read(
        "@phdthesis{t, author = {Doe, Jane}, title = {On Things}, school = {Big University},
         year = {2019}, address = {Paris}, url = {https://x.org/t}, urldate = {2021-02-03}}",
    );
    assert_eq!(
        to_csl_json(&thesis),
        json!({"id": "t", "type": "thesis", "title": "On things", "author": [{"family": "Doe", "given": "Jane"}],
               "publisher": "Big University", "publisher-place": "Paris", "genre": "PhD thesis",
               "issued": {"date-parts": [[2019]]}, "accessed": {"date-parts": [[2021, 2, 3]]},
               "URL": "https://x.org/t"})
    );
    let paper = read(
        "@inproceedings{p, title = {A Paper}, booktitle = {Proceedings of the Big Conference},
         organization = {Org}, publisher = {Pub}, series = {Lecture Notes}, number = {7},
         doi = {10/abc}, year = {in press}, langid = {ngerman}}",
    );
    assert_eq!(
        to_csl_json(&paper),
        json!({"id": "p", "type": "paper-conference", "language": "de-DE", "title": "A Paper",
               "container-title": "Proceedings of the Big Conference", "collection-title": "Lecture Notes",
               "collection-number": "7", "publisher": "Org; Pub", "issued": {"literal": "in press"},
               "DOI": "10/abc"})
    );
    let misc = read(
        "@misc{m, title = {Site}, howpublished = {\\url{https://defelement.com}}, date = {2020-05/2020-07~},
         type = {Software}, note = {Seen}}",
    );
    assert_eq!(
        to_csl_json(&misc),
        json!({"id": "m", "type": "document", "title": "Site", "genre": "Software",
               "issued": {"date-parts": [[2020, 5], [2020, 7]], "circa": true}, "URL": "https://defelement.com",
               "note": "Seen"})
    );
    let file = read_bibtex(
        "@book{b, title = {The Book}, editor = {Ed, Itor}, publisher = {P}, year = 1999}
         @incollection{c, title = {A Chapter}, crossref = {b}, pages = {3--4}, chapter = {2}}",
    );
    assert_eq!(
        to_csl_json(&file.entries[1].reference),
        json!({"id": "c", "type": "chapter", "title": "A chapter", "container-title": "The book",
               "editor": [{"family": "Ed", "given": "Itor"}], "chapter-number": "2", "page": "3-4",
               "publisher": "P", "issued": {"date-parts": [[1999]]}})
    );
}

#[test]
fn what_latex_drops_is_told() {
    let file = read_bibtex("@misc{k, title = {Fifty % off}}");
    assert_eq!(
        file.warnings[0].message,
        "in `k`, `title`: `%` starts a LaTeX comment, so “off” was left out"
    );
    assert_eq!(
        file.warnings.len(),
        1,
        "told once though the title is read twice"
    );
}

#[test]
fn the_first_of_two_entries_with_one_key_wins() {
    let text = "@book{dup, title = {First}}\n\n@book{dup, title = {Second}}\n@book{DUP, title = {Third}}\n";
    let file = read_bibtex(text);
    let titles: Vec<_> = file
        .entries
        .iter()
        .map(|e| {
            (
                e.reference.id.as_str(),
                e.reference
                    .text(crate::csl::reference::StandardVariable::Title.into()),
            )
        })
        .collect();
    assert_eq!(titles, [("dup", Some("First")), ("DUP", Some("Third"))]);
    assert_eq!(file.warnings.len(), 1);
    let warning = &file.warnings[0];
    assert_eq!(
        warning.message,
        "duplicate key `dup`: the entry on line 1 is used, this one is ignored"
    );
    assert_eq!(line_of(text, warning.span.start), 3);
    assert_eq!(&text[warning.span.clone()], "dup");
}

#[test]
fn spans_point_at_the_key_and_each_value() {
    let text = "@article{k,\n  title = {T},\n  year = 2020\n}";
    let file = read_bibtex(text);
    let entry = &file.entries[0];
    assert_eq!(&text[entry.key_span.clone()], "k");
    let spans: Vec<(&str, &str)> = entry
        .field_spans
        .iter()
        .map(|(name, span)| (name.as_str(), &text[span.clone()]))
        .collect();
    assert_eq!(spans, [("title", "{T}"), ("year", "2020")]);
}

#[test]
fn hostile_files_are_read_in_bounded_time_and_depth() {
    let mut text = String::new();
    text.push_str(&format!(
        "@misc{{a, title = {{{}x}}}}\n",
        "\\em ".repeat(50_000)
    ));
    text.push_str(&format!(
        "@misc{{b, title = {{{}e}}}}\n",
        "\\'".repeat(50_000)
    ));
    text.push_str(&format!(
        "@misc{{c, author = {{{}}}}}\n",
        "A and ".repeat(20_000)
    ));
    text.push_str(&format!(
        "@misc{{d, title = {{{}}}}}\n",
        "{x}{\\em y}".repeat(20_000)
    ));
    for i in 0..2_000 {
        text.push_str(&format!("@misc{{x{i}, crossref = {{x{}}}}}\n", i + 1));
    }
    let started = std::time::Instant::now();
    let file = read_bibtex(&text);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    assert!(file.entries.len() >= 4);
    assert!(file
        .warnings
        .iter()
        .any(|w| w.message.contains("goes more than 8 deep")));
}

#[test]
fn a_particle_written_apart_from_the_name_keeps_its_space() {
    let reference = read(
        r"@book{b, author = {Tom de' Frinkle and {de' Frinkle}, Bevis and d'Wander, William
          and Gerard 't Hooft}, title = {T}, year = 2000}",
    );
    let authors = reference.names(NameVariable::Author).unwrap();
    let parts = |n: &Name| {
        (
            n.dropping_particle.clone(),
            n.non_dropping_particle.clone(),
            n.family.clone(),
            n.particle_space,
        )
    };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        parts(&authors[0]),
        (some("de’"), None, some("Frinkle"), true)
    );
    assert_eq!(
        parts(&authors[1]),
        (None, some("de’"), some("Frinkle"), true)
    );
    assert_eq!(
        parts(&authors[2]),
        (None, some("d’"), some("Wander"), false)
    );
    assert_eq!(parts(&authors[3]), (some("’t"), None, some("Hooft"), false));
}
