//! Entry types: the CSL type of each BibTeX and biblatex type, which types are books, parts of
//! books or numbered in a series, and the words for biblatex's thesis and report types.

use crate::csl::reference::Kind;

/// The CSL type of a BibTeX or biblatex entry type.
pub fn kind(bibtex: &str, subtype: Option<&str>) -> Kind {
    match bibtex {
        "article" => match subtype {
            Some("magazine") => Kind::ArticleMagazine,
            Some("newspaper") => Kind::ArticleNewspaper,
            _ => Kind::ArticleJournal,
        },
        "periodical" => Kind::ArticleJournal,
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "mvproceedings"
        | "reference" | "mvreference" | "manual" => Kind::Book,
        "inbook" | "bookinbook" | "suppbook" | "incollection" | "suppcollection" => Kind::Chapter,
        "inreference" => Kind::EntryEncyclopedia,
        "inproceedings" | "conference" => Kind::PaperConference,
        "booklet" => Kind::Pamphlet,
        "thesis" | "phdthesis" | "mastersthesis" => Kind::Thesis,
        "report" | "techreport" => Kind::Report,
        "unpublished" => Kind::Manuscript,
        "online" | "electronic" | "www" => Kind::Webpage,
        "software" => Kind::Software,
        "dataset" => Kind::Dataset,
        "patent" => Kind::Patent,
        "artwork" | "image" => Kind::Graphic,
        "audio" | "music" => Kind::Song,
        "movie" | "video" => Kind::MotionPicture,
        "jurisdiction" => Kind::LegalCase,
        "legislation" => Kind::Legislation,
        "letter" => Kind::PersonalCommunication,
        "performance" => Kind::Performance,
        "review" => Kind::Review,
        "standard" => Kind::Standard,
        _ => Kind::Document,
    }
}

/// Types whose `number` is their series' number, as in biblatex.
pub fn numbers_in_series(bibtex: &str) -> bool {
    matches!(
        bibtex,
        "book"
            | "mvbook"
            | "inbook"
            | "bookinbook"
            | "suppbook"
            | "collection"
            | "mvcollection"
            | "incollection"
            | "suppcollection"
            | "proceedings"
            | "mvproceedings"
            | "inproceedings"
            | "reference"
            | "mvreference"
            | "inreference"
    )
}

/// Types that are a whole book, whose `booktitle` is not a container.
pub fn is_whole_book(bibtex: &str) -> bool {
    matches!(
        bibtex,
        "book"
            | "mvbook"
            | "collection"
            | "mvcollection"
            | "proceedings"
            | "mvproceedings"
            | "reference"
            | "mvreference"
    )
}

/// Types whose `booktitle` is the book they are in (for others Pandoc ignores it).
pub fn is_part_of_book(bibtex: &str) -> bool {
    matches!(
        bibtex,
        "inbook"
            | "bookinbook"
            | "suppbook"
            | "incollection"
            | "suppcollection"
            | "inreference"
            | "inproceedings"
            | "conference"
    )
}

/// A thesis or report type as words: biblatex's keys (`phdthesis`, `techreport`…) in English.
pub fn genre_name(kind: &str) -> String {
    match kind.trim().to_ascii_lowercase().as_str() {
        "phdthesis" => "PhD thesis".into(),
        "mathesis" | "mastersthesis" => "Master’s thesis".into(),
        "techreport" => "technical report".into(),
        "resreport" => "research report".into(),
        "candthesis" => "Candidate thesis".into(),
        _ => kind.to_string(),
    }
}
