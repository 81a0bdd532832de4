//! biblatex's language names (`langid = {ngerman}`, babel's and polyglossia's) as the BCP 47
//! tags CSL locales use, the way Pandoc maps them (`english` is `en-US`).

/// The tag for a `langid` or `hyphenation` value; a tag already (`en-GB`) is kept, with its
/// region in capitals, and a name this table lacks as written.
pub fn language_tag(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    let known = match lower.as_str() {
        "english" | "usenglish" | "american" | "canadian" => "en-US",
        "british" | "ukenglish" | "australian" | "newzealand" => "en-GB",
        "afrikaans" => "af-ZA",
        "arabic" => "ar",
        "basque" => "eu",
        "bulgarian" => "bg-BG",
        "catalan" => "ca-AD",
        "croatian" => "hr-HR",
        "czech" => "cs-CZ",
        "danish" => "da-DK",
        "dutch" => "nl-NL",
        "estonian" => "et-EE",
        "finnish" => "fi-FI",
        "french" | "francais" => "fr-FR",
        "canadien" | "acadian" => "fr-CA",
        "german" | "germanb" | "ngerman" => "de-DE",
        "austrian" | "naustrian" => "de-AT",
        "swissgerman" | "nswissgerman" => "de-CH",
        "greek" | "polutonikogreek" => "el-GR",
        "hebrew" => "he-IL",
        "hungarian" | "magyar" => "hu-HU",
        "icelandic" => "is-IS",
        "italian" => "it-IT",
        "japanese" => "ja-JP",
        "korean" => "ko-KR",
        "latin" => "la",
        "latvian" => "lv-LV",
        "lithuanian" => "lt-LT",
        "mongolian" => "mn-MN",
        "norsk" | "norwegian" | "bokmal" => "nb-NO",
        "nynorsk" => "nn-NO",
        "farsi" | "persian" => "fa-IR",
        "polish" => "pl-PL",
        "brazil" | "brazilian" => "pt-BR",
        "portuguese" | "portuges" => "pt-PT",
        "romanian" => "ro-RO",
        "russian" => "ru-RU",
        "serbian" | "serbianc" => "sr-RS",
        "slovak" => "sk-SK",
        "slovene" | "slovenian" => "sl-SI",
        "spanish" => "es-ES",
        "swedish" => "sv-SE",
        "thai" => "th-TH",
        "turkish" => "tr-TR",
        "ukrainian" => "uk-UA",
        "vietnamese" => "vi-VN",
        "chinese" => "zh-CN",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    match lower.split_once('-') {
        Some((language, region)) if region.len() == 2 => {
            format!("{language}-{}", region.to_ascii_uppercase())
        }
        _ => name.trim().to_string(),
    }
}

/// Whether a tag is English, so that its titles are put in sentence case.
pub fn is_english(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    lower == "en" || lower.starts_with("en-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_tags() {
        assert_eq!(language_tag("english"), "en-US");
        assert_eq!(language_tag("British"), "en-GB");
        assert_eq!(language_tag("ngerman"), "de-DE");
        assert_eq!(language_tag("en-us"), "en-US");
        assert_eq!(language_tag("en"), "en");
        assert_eq!(language_tag("klingon"), "klingon");
        assert!(is_english("en-GB") && is_english("en") && !is_english("de-DE"));
    }
}
