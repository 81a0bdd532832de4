//! The characters LaTeX commands stand for: accents and how they combine with a letter, special
//! letters (`\ss`, `\o`, `\l`…), text symbols (`\textemdash`, `\S`…), and the math a title may
//! hold (Greek letters, operators, `\mathbb`).

/// The text a command without arguments writes in running text.
pub fn text_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "SS" => "SS",
        "o" => "ø",
        "O" => "Ø",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "aa" => "å",
        "AA" => "Å",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        "dh" => "ð",
        "DH" => "Ð",
        "dj" => "đ",
        "DJ" => "Đ",
        "th" => "þ",
        "TH" => "Þ",
        "ng" => "ŋ",
        "NG" => "Ŋ",
        "textemdash" => "—",
        "textendash" => "–",
        "textgreater" => ">",
        "textless" => "<",
        "textbar" => "|",
        "textbackslash" => "\\",
        "textasciitilde" => "~",
        "textasciicircum" => "^",
        "textunderscore" => "_",
        "textbraceleft" => "{",
        "textbraceright" => "}",
        "textquoteleft" => "‘",
        "textquoteright" => "’",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "textquotesingle" => "'",
        "textquotedbl" => "\"",
        "quotedblbase" => "„",
        "quotesinglbase" => "‚",
        "guillemotleft" | "guillemetleft" => "«",
        "guillemotright" | "guillemetright" => "»",
        "guilsinglleft" => "‹",
        "guilsinglright" => "›",
        "dots" | "ldots" | "textellipsis" => "…",
        "S" | "textsection" => "§",
        "P" | "textparagraph" => "¶",
        "dag" | "textdagger" => "†",
        "ddag" | "textdaggerdbl" => "‡",
        "textbullet" => "•",
        "textperiodcentered" => "·",
        "copyright" | "textcopyright" => "©",
        "textregistered" => "®",
        "texttrademark" => "™",
        "pounds" | "textsterling" => "£",
        "euro" | "texteuro" => "€",
        "textyen" => "¥",
        "textcent" => "¢",
        "textdollar" => "$",
        "textdegree" => "°",
        "textperthousand" => "‰",
        "textexclamdown" => "¡",
        "textquestiondown" => "¿",
        "textonehalf" => "½",
        "textonequarter" => "¼",
        "textthreequarters" => "¾",
        "textmu" => "µ",
        "textminus" => "−",
        "texttimes" => "×",
        "slash" => "/",
        "nobreakspace" => "\u{a0}",
        "thinspace" => "\u{2006}",
        "enspace" => "\u{2002}",
        "quad" => "\u{2003}",
        "qquad" => "\u{2003}\u{2003}",
        "space" | "newline" | "linebreak" | "par" | "break" => " ",
        "LaTeX" => "LaTeX",
        "LaTeXe" => "LaTeX2ε",
        "TeX" => "TeX",
        "BibTeX" => "BibTeX",
        "relax" | "protect" | "noindent" | "newblock" | "unskip" | "ignorespaces" | "nobreak"
        | "allowbreak" | "hfill" | "hfil" | "null" | "leavevmode" | "xspace" | "fi" => "",
        _ => return None,
    })
}

/// The text a control symbol (`\` and one character) writes in running text.
pub fn control_symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '&' => "&",
        '%' => "%",
        '$' => "$",
        '#' => "#",
        '_' => "_",
        '{' => "{",
        '}' => "}",
        ' ' | '\n' | '\t' | '\r' | '\\' => " ",
        ',' => "\u{2006}",
        ';' | ':' | '>' => "\u{2005}",
        '!' | '/' | '-' | '@' => "",
        _ => return None,
    })
}

/// The combining mark an accent command puts over (or under) its letter.
pub fn accent(name: &str) -> Option<char> {
    Some(match name {
        "'" => '\u{301}',
        "`" => '\u{300}',
        "^" => '\u{302}',
        "\"" => '\u{308}',
        "~" => '\u{303}',
        "=" => '\u{304}',
        "." => '\u{307}',
        "u" => '\u{306}',
        "v" => '\u{30c}',
        "H" => '\u{30b}',
        "c" => '\u{327}',
        "k" => '\u{328}',
        "r" => '\u{30a}',
        "d" => '\u{323}',
        "b" => '\u{331}',
        "t" => '\u{361}',
        _ => return None,
    })
}

/// The math accents, which take their letter the same way.
pub fn math_accent(name: &str) -> Option<char> {
    Some(match name {
        "acute" => '\u{301}',
        "grave" => '\u{300}',
        "hat" | "widehat" => '\u{302}',
        "ddot" => '\u{308}',
        "tilde" | "widetilde" => '\u{303}',
        "bar" | "overline" => '\u{304}',
        "dot" => '\u{307}',
        "breve" => '\u{306}',
        "check" => '\u{30c}',
        "vec" => '\u{20d7}',
        _ => return None,
    })
}

/// Each accent's precomposed letters, as pairs of base letter and result.
const COMPOSED: &[(char, &str)] = &[
    (
        '\u{301}',
        "aáeéiíoóuúyýAÁEÉIÍOÓUÚYÝcćCĆgǵGǴkḱKḰlĺLĹmḿMḾnńNŃpṕPṔrŕRŔsśSŚwẃWẂzźZŹæǽÆǼøǿØǾåǻÅǺ",
    ),
    ('\u{300}', "aàeèiìoòuùAÀEÈIÌOÒUÙnǹNǸwẁWẀyỳYỲ"),
    (
        '\u{302}',
        "aâeêiîoôuûAÂEÊIÎOÔUÛcĉCĈgĝGĜhĥHĤjĵJĴsŝSŜwŵWŴyŷYŶzẑZẐ",
    ),
    ('\u{308}', "aäeëiïoöuüyÿAÄEËIÏOÖUÜYŸhḧHḦwẅWẄxẍXẌtẗ"),
    ('\u{303}', "aãnñoõAÃNÑOÕiĩIĨuũUŨeẽEẼyỹYỸvṽVṼ"),
    ('\u{304}', "aāeēiīoōuūAĀEĒIĪOŌUŪyȳYȲgḡGḠæǣÆǢ"),
    (
        '\u{307}',
        "cċCĊeėEĖgġGĠIİzżZŻbḃBḂdḋDḊfḟFḞhḣHḢmṁMṀnṅNṄpṗPṖrṙRṘsṡSṠtṫTṪwẇWẆxẋXẊyẏYẎaȧAȦoȯOȮ",
    ),
    ('\u{306}', "aăAĂeĕEĔgğGĞiĭIĬoŏOŎuŭUŬ"),
    (
        '\u{30c}',
        "cčCČdďDĎeěEĚnňNŇrřRŘsšSŠtťTŤzžZŽaǎAǍiǐIǏoǒOǑuǔUǓgǧGǦkǩKǨjǰhȟHȞlľLĽ",
    ),
    ('\u{30b}', "oőOŐuűUŰ"),
    ('\u{327}', "cçCÇgģGĢkķKĶlļLĻnņNŅrŗRŖsşSŞtţTŢeȩEȨdḑDḐhḩHḨ"),
    ('\u{328}', "aąAĄeęEĘiįIĮuųUŲoǫOǪ"),
    ('\u{30a}', "aåAÅuůUŮwẘyẙ"),
    (
        '\u{323}',
        "aạAẠbḅBḄdḍDḌeẹEẸhḥHḤiịIỊkḳKḲlḷLḶmṃMṂnṇNṆoọOỌrṛRṚsṣSṢtṭTṬuụUỤvṿVṾwẉWẈyỵYỴzẓZẒ",
    ),
    ('\u{331}', "bḇBḆdḏDḎkḵKḴlḻLḺnṉNṈrṟRṞtṯTṮzẕZẔhẖ"),
];

/// The accent as a character of its own, for an accent over nothing (`\'{}`).
fn spacing(mark: char) -> char {
    match mark {
        '\u{301}' => '´',
        '\u{300}' => '`',
        '\u{302}' => '^',
        '\u{308}' => '¨',
        '\u{303}' => '~',
        '\u{304}' => '¯',
        '\u{307}' => '˙',
        '\u{306}' => '˘',
        '\u{30c}' => 'ˇ',
        '\u{30b}' => '˝',
        '\u{327}' => '¸',
        '\u{328}' => '˛',
        '\u{30a}' => '˚',
        other => other,
    }
}

/// `base` with `mark`: one precomposed character where Unicode has one, else the base and the
/// combining mark. A dotless ı or ȷ takes the accent as i or j do (`\'\i` is í).
pub fn compose(base: Option<char>, mark: char) -> String {
    let Some(base) = base else {
        return spacing(mark).to_string();
    };
    let base = match base {
        'ı' => 'i',
        'ȷ' => 'j',
        other => other,
    };
    let composed = COMPOSED
        .iter()
        .find(|(m, _)| *m == mark)
        .and_then(|(_, pairs)| {
            let chars: Vec<char> = pairs.chars().collect();
            chars
                .chunks(2)
                .find(|pair| pair[0] == base)
                .and_then(|pair| pair.get(1).copied())
        });
    match composed {
        Some(c) => c.to_string(),
        None => format!("{base}{mark}"),
    }
}

/// The text a math command without arguments stands for.
pub fn math_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" => "ϵ",
        "varepsilon" => "ε",
        "zeta" => "ζ",
        "eta" => "η",
        "theta" => "θ",
        "vartheta" => "ϑ",
        "iota" => "ι",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "xi" => "ξ",
        "omicron" => "ο",
        "pi" => "π",
        "varpi" => "ϖ",
        "rho" => "ρ",
        "varrho" => "ϱ",
        "sigma" => "σ",
        "varsigma" => "ς",
        "tau" => "τ",
        "upsilon" => "υ",
        "phi" => "ϕ",
        "varphi" => "φ",
        "chi" => "χ",
        "psi" => "ψ",
        "omega" => "ω",
        "Gamma" => "Γ",
        "Delta" => "Δ",
        "Theta" => "Θ",
        "Lambda" => "Λ",
        "Xi" => "Ξ",
        "Pi" => "Π",
        "Sigma" => "Σ",
        "Upsilon" => "Υ",
        "Phi" => "Φ",
        "Psi" => "Ψ",
        "Omega" => "Ω",
        "times" => "×",
        "cdot" => "⋅",
        "cdots" => "⋯",
        "ldots" | "dots" => "…",
        "pm" => "±",
        "mp" => "∓",
        "div" => "÷",
        "ast" => "∗",
        "star" => "⋆",
        "circ" => "∘",
        "bullet" => "∙",
        "odot" => "⊙",
        "oplus" => "⊕",
        "otimes" => "⊗",
        "leq" | "le" => "≤",
        "geq" | "ge" => "≥",
        "neq" | "ne" => "≠",
        "ll" => "≪",
        "gg" => "≫",
        "approx" => "≈",
        "sim" => "∼",
        "simeq" => "≃",
        "equiv" => "≡",
        "propto" => "∝",
        "infty" => "∞",
        "partial" => "∂",
        "nabla" => "∇",
        "sum" => "∑",
        "prod" => "∏",
        "int" => "∫",
        "oint" => "∮",
        "in" => "∈",
        "notin" => "∉",
        "subset" => "⊂",
        "subseteq" => "⊆",
        "supset" => "⊃",
        "cup" => "∪",
        "cap" => "∩",
        "emptyset" | "varnothing" => "∅",
        "forall" => "∀",
        "exists" => "∃",
        "neg" => "¬",
        "wedge" | "land" => "∧",
        "vee" | "lor" => "∨",
        "to" | "rightarrow" => "→",
        "leftarrow" | "gets" => "←",
        "leftrightarrow" => "↔",
        "Rightarrow" => "⇒",
        "Leftarrow" => "⇐",
        "Leftrightarrow" => "⇔",
        "mapsto" => "↦",
        "uparrow" => "↑",
        "downarrow" => "↓",
        "prime" => "′",
        "degree" => "°",
        "hbar" => "ℏ",
        "ell" => "ℓ",
        "Re" => "ℜ",
        "Im" => "ℑ",
        "aleph" => "ℵ",
        "angle" => "∠",
        "perp" => "⊥",
        "parallel" => "∥",
        "mid" => "∣",
        "langle" => "⟨",
        "rangle" => "⟩",
        "lbrace" | "{" => "{",
        "rbrace" | "}" => "}",
        "vert" | "|" => "|",
        "backslash" => "\\",
        "%" => "%",
        "&" => "&",
        "#" => "#",
        "$" => "$",
        "_" => "_",
        "," | ":" | ";" | " " | "quad" | "qquad" => " ",
        "!" | "left" | "right" | "big" | "Big" | "bigg" | "Bigg" | "displaystyle" | "textstyle"
        | "limits" | "nolimits" | "relax" => "",
        "sin" => "sin",
        "cos" => "cos",
        "tan" => "tan",
        "log" => "log",
        "ln" => "ln",
        "exp" => "exp",
        "max" => "max",
        "min" => "min",
        "lim" => "lim",
        "sup" => "sup",
        "inf" => "inf",
        "det" => "det",
        "dim" => "dim",
        "ker" => "ker",
        "deg" => "deg",
        _ => return None,
    })
}

/// A letter or digit in blackboard bold (`\mathbb{R}` is ℝ).
pub fn double_struck(c: char) -> Option<char> {
    let special = match c {
        'C' => Some('ℂ'),
        'H' => Some('ℍ'),
        'N' => Some('ℕ'),
        'P' => Some('ℙ'),
        'Q' => Some('ℚ'),
        'R' => Some('ℝ'),
        'Z' => Some('ℤ'),
        _ => None,
    };
    if special.is_some() {
        return special;
    }
    let code = match c {
        'A'..='Z' => 0x1d538 + (c as u32 - 'A' as u32),
        'a'..='z' => 0x1d552 + (c as u32 - 'a' as u32),
        '0'..='9' => 0x1d7d8 + (c as u32 - '0' as u32),
        _ => return None,
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_compose_where_unicode_can() {
        assert_eq!(compose(Some('e'), accent("'").unwrap()), "é");
        assert_eq!(compose(Some('ı'), accent("'").unwrap()), "í");
        assert_eq!(compose(Some('s'), accent("v").unwrap()), "š");
        assert_eq!(compose(Some('o'), accent("H").unwrap()), "ő");
        assert_eq!(compose(Some('a'), accent("k").unwrap()), "ą");
        assert_eq!(compose(Some('q'), accent("'").unwrap()), "q\u{301}");
        assert_eq!(compose(None, accent("\"").unwrap()), "¨");
    }

    #[test]
    fn the_tables_pair_every_letter() {
        for (mark, pairs) in COMPOSED {
            assert_eq!(pairs.chars().count() % 2, 0, "{mark:?}: {pairs}");
        }
        assert_eq!(double_struck('R'), Some('ℝ'));
        assert_eq!(double_struck('A'), Some('𝔸'));
    }
}
