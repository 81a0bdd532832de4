//! The CSL locales a style needs, and no others. hayagriva ships about 60 locales as CBOR, and
//! decoding them all costs 70–95 ms per process, most of a build; a style only ever looks up its
//! default locale, that language's fallback and en-US. So only the blobs that mention those
//! codes are decoded (each checked by its `xml:lang` after decoding), once per process.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use citationberg::{IndependentStyle, Locale, LocaleCode};
use hayagriva::archive::{locales, LOCALES};

/// Decoded locales by the codes they were chosen for.
type Decoded = Mutex<BTreeMap<Vec<String>, Arc<[Locale]>>>;

/// The locales `style` can look up in `lang` (else its default locale), decoded on first use
/// and shared after.
pub fn locales_for(style: &IndependentStyle, lang: Option<&str>) -> Arc<[Locale]> {
    static DECODED: OnceLock<Decoded> = OnceLock::new();
    let codes = needed_codes(style, lang);
    let cache = DECODED.get_or_init(Mutex::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&codes).cloned()) {
        return found;
    }
    let decoded: Arc<[Locale]> = decode(&codes).into();
    if let Ok(mut cache) = cache.lock() {
        cache.insert(codes, decoded.clone());
    }
    decoded
}

/// What hayagriva's lookup tries, in its order: the style's default locale, the language's
/// usual region ("de" → "de-DE"), then en-US.
fn needed_codes(style: &IndependentStyle, lang: Option<&str>) -> Vec<String> {
    let primary = lang
        .map(|lang| LocaleCode(lang.to_string()))
        .or_else(|| style.default_locale.clone())
        .unwrap_or_else(LocaleCode::en_us);
    let mut codes = vec![primary.0.clone()];
    codes.extend(primary.fallback().map(|code| code.0));
    codes.push(LocaleCode::en_us().0);
    codes.dedup();
    codes
}

fn decode(codes: &[String]) -> Vec<Locale> {
    let found: Vec<Locale> = LOCALES
        .iter()
        .filter(|blob| codes.iter().any(|code| contains(blob, code.as_bytes())))
        .filter_map(|blob| ciborium::de::from_reader::<Locale, _>(*blob).ok())
        .filter(|locale| {
            locale
                .lang
                .as_ref()
                .is_some_and(|lang| codes.contains(&lang.0))
        })
        .collect();
    let has_en_us = found
        .iter()
        .any(|locale| locale.lang.as_ref().is_some_and(|l| l.0 == "en-US"));
    if has_en_us {
        found
    } else {
        // The archive changed shape: be correct rather than fast.
        locales()
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayagriva::archive::ArchivedStyle;

    fn codes_of(locales: &[Locale]) -> Vec<String> {
        locales
            .iter()
            .filter_map(|l| l.lang.as_ref().map(|c| c.0.clone()))
            .collect()
    }

    fn style(name: &str) -> IndependentStyle {
        match ArchivedStyle::by_name(name).unwrap().get() {
            citationberg::Style::Independent(style) => style,
            _ => panic!("{name} is an independent style"),
        }
    }

    #[test]
    fn apa_gets_en_us_only() {
        assert_eq!(codes_of(&locales_for(&style("apa"), None)), ["en-US"]);
    }

    #[test]
    fn a_german_style_gets_german_and_the_english_fallback() {
        let mut din = style("apa");
        din.default_locale = Some(LocaleCode("de".to_string()));
        let codes = codes_of(&locales_for(&din, None));
        assert!(codes.contains(&"de-DE".to_string()), "{codes:?}");
        assert!(codes.contains(&"en-US".to_string()), "{codes:?}");
    }

    #[test]
    fn the_briefs_language_brings_its_locale() {
        let codes = codes_of(&locales_for(&style("apa"), Some("fr-FR")));
        assert!(codes.contains(&"fr-FR".to_string()), "{codes:?}");
        assert!(codes.contains(&"en-US".to_string()), "{codes:?}");
    }

    #[test]
    fn the_chosen_locales_are_the_ones_the_full_archive_holds() {
        let all = locales();
        for locale in locales_for(&style("apa"), None).iter() {
            assert!(all.contains(locale));
        }
    }
}
