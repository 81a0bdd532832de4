//! Pandoc's attributes, `{#id .class key=value key2="two words"}`, as written after images,
//! bracketed spans, fenced divs and code fences.

/// The attributes of one element, in the order written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub pairs: Vec<(String, String)>,
}

impl Attrs {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }
}

/// `{…}` at the start of `text`: the attributes and how many bytes they take. `None` when the
/// braces do not close on the same line or hold something that is not an attribute.
pub fn leading(text: &str) -> Option<(Attrs, usize)> {
    let inner = text.strip_prefix('{')?;
    let mut quoted = false;
    let close = inner.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        '}' if !quoted => Some(i),
        '\n' => Some(usize::MAX),
        _ => None,
    })?;
    if close == usize::MAX {
        return None;
    }
    let attrs = parse(&inner[..close])?;
    Some((attrs, close + 2))
}

/// The inside of the braces. A bare word (Pandoc's `{python}` code fence) is a class.
pub fn parse(inner: &str) -> Option<Attrs> {
    let mut attrs = Attrs::default();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let (token, after) = next_token(rest)?;
        rest = after.trim_start();
        if let Some(id) = token.strip_prefix('#') {
            if id.is_empty() {
                return None;
            }
            attrs.id = Some(id.to_string());
        } else if let Some(class) = token.strip_prefix('.') {
            if class.is_empty() {
                return None;
            }
            attrs.classes.push(class.to_string());
        } else if let Some((key, value)) = token.split_once('=') {
            if key.is_empty() || !key.chars().all(is_name_char) {
                return None;
            }
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            attrs.pairs.push((key.to_string(), value.to_string()));
        } else if token.starts_with('=') {
            // A raw block's format (`{=html}`) is read by the code-fence reader, not here.
            return None;
        } else if token.chars().all(is_name_char) {
            attrs.classes.push(token.to_string());
        } else {
            return None;
        }
    }
    Some(attrs)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
}

/// One space-separated token; a quoted value may hold spaces.
fn next_token(text: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return Some((&text[..i], &text[i..])),
            _ => {}
        }
    }
    (!quoted).then_some((text, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_classes_and_values() {
        let (attrs, used) = leading("{#fig:x .wide width=39% alt=\"a b\"} tail").unwrap();
        assert_eq!(used, "{#fig:x .wide width=39% alt=\"a b\"}".len());
        assert_eq!(attrs.id.as_deref(), Some("fig:x"));
        assert_eq!(attrs.classes, ["wide"]);
        assert_eq!(attrs.get("width"), Some("39%"));
        assert_eq!(attrs.get("alt"), Some("a b"));
        assert_eq!(parse(" width=50% ").unwrap().get("width"), Some("50%"));
        assert_eq!(parse("python").unwrap().classes, ["python"]);
    }

    #[test]
    fn what_is_not_attributes() {
        assert!(leading("{not closed").is_none());
        assert!(leading("{a, b}").is_none());
        assert!(leading("{#}").is_none());
        assert!(parse("=html").is_none());
    }
}
