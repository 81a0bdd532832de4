//! Localisation (CSL 1.0.2, "Locale"): the terms, date formats and options a style sees, looked
//! up through the specification's fallback chain: the style's own `cs:locale` for the exact
//! language, for the bare language and without a language, then the locale files for the exact
//! language, the language's usual region, and en-US.

use citationberg::taxonomy::{OtherTerm, Term};
use citationberg::{
    Date, DateForm, GrammarGender, IndependentStyle, Locale, LocaleCode, LocalizedTerm, TermForm,
};

/// The locales of one style and language, most specific first.
#[derive(Debug, Clone)]
pub struct Locales {
    chain: Vec<Locale>,
    pub lang: String,
    pub punctuation_in_quote: bool,
    pub limit_day_ordinals_to_day_1: bool,
}

impl Locales {
    /// The chain for `style`, in `lang` (else the style's default locale, else en-US), from the
    /// locale files in `files`.
    pub fn new(style: &IndependentStyle, files: &[Locale], lang: Option<&str>) -> Self {
        let lang = lang
            .map(str::to_string)
            .or_else(|| style.default_locale.as_ref().map(|code| code.0.clone()))
            .unwrap_or_else(|| "en-US".to_string());
        let code = LocaleCode(lang.clone());
        let base = code.parse_base().map(|b| b.as_str().to_string());
        let base = base.unwrap_or_else(|| lang.split('-').next().unwrap_or("en").to_string());
        let mut chain = Vec::new();
        let style_locale = |wanted: Option<&str>| -> Vec<Locale> {
            style
                .locale
                .iter()
                .filter(|locale| locale.lang.as_ref().map(|l| l.0.as_str()) == wanted)
                .cloned()
                .collect()
        };
        chain.extend(style_locale(Some(&lang)));
        if base != lang {
            chain.extend(style_locale(Some(&base)));
        }
        chain.extend(style_locale(None));
        let file = |wanted: &str| {
            files
                .iter()
                .find(|locale| locale.lang.as_ref().is_some_and(|l| l.0 == wanted))
                .cloned()
        };
        chain.extend(file(&lang));
        if let Some(region) = code.fallback() {
            if region.0 != lang {
                chain.extend(file(&region.0));
            }
        } else if base != lang {
            chain.extend(file(&base));
        }
        if lang != "en-US" {
            chain.extend(file("en-US"));
        }
        let option = |get: fn(&citationberg::LocaleOptions) -> Option<bool>| {
            chain
                .iter()
                .find_map(|locale| locale.style_options.as_ref().and_then(get))
        };
        let punctuation_in_quote = option(|o| o.punctuation_in_quote).unwrap_or(false);
        let limit_day_ordinals_to_day_1 =
            option(|o| o.limit_day_ordinals_to_day_1).unwrap_or(false);
        Self {
            chain,
            lang,
            punctuation_in_quote,
            limit_day_ordinals_to_day_1,
        }
    }

    /// Whether the language is English, where title case and sentence-case conversion apply.
    pub fn is_english(&self) -> bool {
        self.lang.starts_with("en")
    }

    /// A term in `form`, falling back to shorter-to-longer forms as the specification says.
    pub fn term(&self, term: Term, form: TermForm, plural: bool) -> Option<&str> {
        let found = self.find_term(term, form)?;
        if plural {
            found.multiple()
        } else {
            found.single()
        }
    }

    pub fn find_term(&self, term: Term, form: TermForm) -> Option<&LocalizedTerm> {
        let mut form = Some(form);
        while let Some(current) = form {
            for locale in &self.chain {
                if let Some(found) = locale.term(term, current) {
                    return Some(found);
                }
            }
            form = current.fallback();
        }
        None
    }

    /// The grammatical gender of a term's noun (for gendered ordinals).
    pub fn gender(&self, term: Term) -> Option<GrammarGender> {
        self.find_term(term, TermForm::Long)
            .and_then(|found| found.gender)
    }

    /// `n` as an ordinal ("1st", "2e"), agreeing with `gender` where the locale has genders.
    pub fn ordinal(&self, n: i32, gender: Option<GrammarGender>) -> String {
        for locale in &self.chain {
            if let Some(lookup) = locale.ordinals() {
                if let Some(suffix) = lookup.lookup(n, gender) {
                    return format!("{n}{suffix}");
                }
            }
        }
        n.to_string()
    }

    /// `n` as a long ordinal ("first"), for 1–10; else the short ordinal.
    pub fn long_ordinal(&self, n: i32, gender: Option<GrammarGender>) -> String {
        for locale in &self.chain {
            if let Some(lookup) = locale.ordinals() {
                if let Some(word) = lookup.lookup_long(n) {
                    return word.to_string();
                }
            }
        }
        self.ordinal(n, gender)
    }

    /// The locale's date format of `form`.
    pub fn date_format(&self, form: DateForm) -> Option<&Date> {
        self.chain
            .iter()
            .flat_map(|locale| locale.date.iter())
            .find(|date| date.form == Some(form))
    }

    pub fn other(&self, term: OtherTerm, form: TermForm) -> Option<&str> {
        self.term(Term::Other(term), form, false)
    }
}
