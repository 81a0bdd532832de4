//! Property tests: the parsers that read what authors type never panic, whatever they are given,
//! and what they read back is what was written.

use brief::citation_syntax::{find_narrative, parse_bracketed};
use brief::diagnostic::SourceFile;
use brief::figure::data::parse_csv;
use brief::frontmatter::split;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// Text rich in the characters these parsers care about, plus anything else.
fn markdownish() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC*",
        "[@\\[\\];,.:{}a-z0-9 \\-–\\n\"\\\\]*",
        "(---|\\.\\.\\.|[a-z]+: [a-z0-9\"]*|@[a-z]+|\\[@[a-z0-9]+(, p\\. [0-9]+)?\\]|\\n| )*",
    ]
}

proptest! {
    // No regression files: a failure prints its minimal input, which becomes a fixture case.
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_citation_parser_never_panics_and_its_spans_hold(text in markdownish()) {
        if let Some(items) = parse_bracketed(&text) {
            for item in items {
                let written = text.get(item.key_span.clone()).expect("the key's span is in the text");
                prop_assert!(written.starts_with('@'), "{written:?}");
            }
        }
        for (span, key) in find_narrative(&text) {
            let written = text.get(span).expect("the span is in the text");
            prop_assert!(written.starts_with('@') && written.contains(key.as_str()));
        }
    }

    #[test]
    fn citations_read_back_as_written(
        keys in vec("[a-z][a-z0-9_]{0,8}[0-9]{4}", 1..4),
        page in option::of(1u32..999),
        prefix in option::of("(see|cf\\.|e\\.g\\.,)"),
        suppress in any::<bool>(),
    ) {
        let items: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let mut item = String::new();
                if i == 0 {
                    if let Some(prefix) = &prefix {
                        item.push_str(prefix);
                        item.push(' ');
                    }
                    if suppress {
                        item.push('-');
                    }
                }
                item.push('@');
                item.push_str(key);
                if let (0, Some(page)) = (i, page) {
                    item.push_str(&format!(", p. {page}"));
                }
                item
            })
            .collect();
        let inner = items.join("; ");
        let parsed = parse_bracketed(&inner).expect("a citation");
        prop_assert_eq!(parsed.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), keys.iter().map(String::as_str).collect::<Vec<_>>());
        prop_assert_eq!(parsed[0].prefix.as_str(), prefix.as_deref().unwrap_or(""));
        prop_assert_eq!(parsed[0].suppress_author, suppress);
        prop_assert_eq!(parsed[0].locator.as_ref().map(|l| l.value.clone()), page.map(|p| p.to_string()));
        for (item, key) in parsed.iter().zip(&keys) {
            prop_assert_eq!(&inner[item.key_span.clone()], format!("@{key}"));
        }
    }

    #[test]
    fn the_front_matter_splitter_never_panics(text in markdownish()) {
        if let Ok(parts) = split(&SourceFile::new("x.md", text.clone())) {
            prop_assert!(text.get(parts.yaml.clone()).is_some() && text.get(parts.body.clone()).is_some());
        }
    }

    #[test]
    fn front_matter_and_body_split_back_into_what_was_written(
        yaml in "([a-z]{1,8}: [a-z0-9 \"]{0,12}\\n){0,5}",
        body in "\\PC*",
    ) {
        let text = format!("---\n{yaml}---\n{body}");
        let parts = split(&SourceFile::new("x.md", text.clone())).expect("front matter");
        prop_assert_eq!(&text[parts.yaml], yaml.as_str());
        prop_assert_eq!(&text[parts.body], body.as_str());
    }

    #[test]
    fn the_csv_reader_never_panics_and_its_cell_spans_hold(text in markdownish()) {
        let file = SourceFile::new("d.csv", text.clone());
        if let Ok(table) = parse_csv(&file) {
            for row in &table.rows {
                for span in &row.spans {
                    prop_assert!(text.get(span.clone()).is_some(), "{span:?} in {text:?}");
                }
            }
        }
    }

    #[test]
    fn a_table_written_as_csv_reads_back_cell_for_cell(
        rows in vec(("[A-Za-z ,\"'<>&é]{1,12}", -1.0e9f64..1.0e9), 1..12),
    ) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["label", "value"]).unwrap();
        for (label, value) in &rows {
            writer.write_record([label.as_str(), &value.to_string()]).unwrap();
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let table = parse_csv(&SourceFile::new("d.csv", text)).expect("a table");
        prop_assert_eq!(table.columns.clone(), vec!["label".to_string(), "value".to_string()]);
        let data = table.chart_data(0, &[1]).expect("numbers");
        prop_assert_eq!(table.rows.len(), rows.len());
        for ((row, (label, value)), number) in table.rows.iter().zip(&rows).zip(&data.series[0].values) {
            // Cells are read without the spaces around them, as people type "Alpha, 300".
            prop_assert_eq!(row.cells[0].as_str(), label.trim());
            prop_assert_eq!(number, value);
        }
    }
}
