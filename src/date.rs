//! Publication dates as authors write them: `2025`, `2025-10`, `2025-10-20`, a full RFC 3339
//! time, or (as Pandoc documents do) `23 January 2020` and `January 23, 2020`. A date that names
//! no real day (`2025-02-30`, `T25:61:00Z`) is an error with the reason, so that it never
//! reaches the page's metadata.

/// A calendar date, as precise as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicationDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PublicationDate {
    /// `2025`, `2025-10` or `2025-10-20`: for `datetime` attributes and JSON-LD.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(month), Some(day)) => format!("{:04}-{month:02}-{day:02}", self.year),
            (Some(month), None) => format!("{:04}-{month:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

/// English month names, lowercase, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// "2025-10-20" → "October 20, 2025" for English; other dates and languages stay as written.
pub fn in_words(date: &str, lang: &str) -> String {
    let parts: Vec<&str> = date.split('-').collect();
    let english = lang == "en" || lang.starts_with("en-");
    match (english, parts.as_slice()) {
        (true, [year, month, day]) if year.len() == 4 => {
            match (month.parse::<usize>(), day.parse::<u32>()) {
                (Ok(month @ 1..=12), Ok(day @ 1..=31)) => {
                    format!("{} {day}, {year}", month_name(month))
                }
                _ => date.to_string(),
            }
        }
        _ => date.to_string(),
    }
}

/// "October" for 10.
fn month_name(month: usize) -> String {
    let name = MONTHS[month - 1];
    format!("{}{}", name[..1].to_uppercase(), &name[1..])
}

/// Why a date is not one, in words for the author.
pub type DateProblem = String;

/// Reads an ISO date or RFC 3339 date-time; `Ok(None)` when the text does not look like one at
/// all (so that the caller may try other forms), `Err` when it does but names no real time.
pub fn parse_iso(text: &str) -> Result<Option<PublicationDate>, DateProblem> {
    let text = text.trim();
    let (date, time) = match text.find(['T', 't', ' ']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(parts[0], 4) || parts.len() > 3 || !parts[1..].iter().all(|p| digits(p, 2)) {
        return Ok(None);
    }
    let year: u16 = parts[0]
        .parse()
        .map_err(|_| "the year is not a number".to_string())?;
    let month = parts.get(1).map(|m| m.parse::<u8>().unwrap_or(0));
    let day = parts.get(2).map(|d| d.parse::<u8>().unwrap_or(0));
    let date = checked(year, month, day)?;
    if let Some(time) = time {
        if day.is_none() {
            return Err("a time needs a full date before it".into());
        }
        check_time(time)?;
    }
    Ok(Some(date))
}

/// `23 January 2020`, `January 23, 2020`, `January 2020` (English month names, any case,
/// three-letter abbreviations too); `None` for anything else.
pub fn parse_words(text: &str) -> Option<Result<PublicationDate, DateProblem>> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let month_of = |word: &str| {
        let word = word.trim_end_matches('.').to_lowercase();
        (word.len() >= 3)
            .then(|| MONTHS.iter().position(|m| m.starts_with(&word)))
            .flatten()
            .map(|i| i as u8 + 1)
    };
    let number = |word: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit()))
            .then(|| word.parse::<u16>().ok())
            .flatten()
    };
    let (year, month, day) = match words.as_slice() {
        [day, month, year] if month_of(month).is_some() => (
            number(year, 4..=4)?,
            month_of(month)?,
            Some(number(day, 1..=2)?),
        ),
        [month, day, year] if month_of(month).is_some() => (
            number(year, 4..=4)?,
            month_of(month)?,
            Some(number(day, 1..=2)?),
        ),
        [month, year] => (number(year, 4..=4)?, month_of(month)?, None),
        _ => return None,
    };
    let day = day.map(|d| u8::try_from(d).unwrap_or(0));
    Some(checked(year, Some(month), day))
}

fn checked(year: u16, month: Option<u8>, day: Option<u8>) -> Result<PublicationDate, DateProblem> {
    if let Some(month) = month {
        if !(1..=12).contains(&month) {
            return Err(format!("there is no month {month}"));
        }
        if let Some(day) = day {
            let days = days_in(year, month);
            if day == 0 || day > days {
                let name = month_name(usize::from(month));
                return Err(format!("{name} {year} has {days} days"));
            }
        }
    }
    Ok(PublicationDate { year, month, day })
}

fn days_in(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `HH:MM`, `HH:MM:SS`, fractions of a second, then `Z` or `±HH:MM` (or nothing).
fn check_time(time: &str) -> Result<(), DateProblem> {
    let zone_at = time.find(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let fields: Vec<&str> = clock.split(':').collect();
    let two = |s: &str| {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u8>().ok())
            .flatten()
    };
    let bad = || format!("`{time}` is not a time of day (HH:MM or HH:MM:SS)");
    let (hour, minute) = match fields.as_slice() {
        [h, m] | [h, m, _] => (two(h).ok_or_else(bad)?, two(m).ok_or_else(bad)?),
        _ => return Err(bad()),
    };
    if let Some(second) = fields.get(2) {
        let whole = second.split('.').next().unwrap_or("");
        let fraction_ok = second
            .split_once('.')
            .is_none_or(|(_, f)| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
        if two(whole).is_none_or(|s| s > 60) || !fraction_ok {
            return Err(format!("there is no second {second}"));
        }
    }
    if hour > 23 {
        return Err(format!("there is no hour {hour}"));
    }
    if minute > 59 {
        return Err(format!("there is no minute {minute}"));
    }
    match zone {
        "" | "Z" | "z" => Ok(()),
        offset => {
            let parts: Vec<&str> = offset[1..].split(':').collect();
            match parts.as_slice() {
                [h, m] if two(h).is_some_and(|h| h <= 23) && two(m).is_some_and(|m| m <= 59) => {
                    Ok(())
                }
                _ => Err(format!(
                    "`{offset}` is not a time zone offset (Z or ±HH:MM)"
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_times_are_checked() {
        assert_eq!(
            parse_iso("2025-10-20").unwrap().unwrap().iso(),
            "2025-10-20"
        );
        assert_eq!(parse_iso("2025").unwrap().unwrap().iso(), "2025");
        assert_eq!(
            parse_iso("2024-02-29").unwrap().unwrap().iso(),
            "2024-02-29"
        );
        assert!(parse_iso("2025-10-20T10:30:00Z").unwrap().is_some());
        assert!(parse_iso("2025-10-20T10:30:00.5+02:00").unwrap().is_some());
        assert_eq!(parse_iso("2025-13-45").unwrap_err(), "there is no month 13");
        assert_eq!(
            parse_iso("2025-02-30").unwrap_err(),
            "February 2025 has 28 days"
        );
        assert_eq!(
            parse_iso("2025-10-20T25:61:00Z").unwrap_err(),
            "there is no hour 25"
        );
        assert_eq!(
            parse_iso("2025-10-20T10:61Z").unwrap_err(),
            "there is no minute 61"
        );
        assert_eq!(parse_iso("next Tuesday").unwrap(), None);
        assert_eq!(parse_iso("23 January 2020").unwrap(), None);
    }

    #[test]
    fn english_dates_read_as_words() {
        assert_eq!(in_words("2025-10-20", "en-US"), "October 20, 2025");
        assert_eq!(in_words("2025-10-20", "de"), "2025-10-20");
        assert_eq!(in_words("Autumn 2025", "en"), "Autumn 2025");
        assert_eq!(in_words("2025-13-01", "en"), "2025-13-01");
    }

    #[test]
    fn dates_in_words_are_read_as_pandoc_documents_write_them() {
        let iso = |text: &str| parse_words(text).map(|d| d.map(|d| d.iso()));
        assert_eq!(iso("23 January 2020"), Some(Ok("2020-01-23".into())));
        assert_eq!(iso("04 April 2021"), Some(Ok("2021-04-04".into())));
        assert_eq!(iso("January 23, 2020"), Some(Ok("2020-01-23".into())));
        assert_eq!(iso("Sept. 2019"), Some(Ok("2019-09".into())));
        assert_eq!(
            iso("30 February 2021"),
            Some(Err("February 2021 has 28 days".into()))
        );
        assert_eq!(iso("next Tuesday"), None);
        assert_eq!(iso("---"), None);
    }
}
