//! One name (CSL 1.0.2, "Name-part Order" and "Name-part Formatting"): display and sort order,
//! particles as the style demotes them, the short form, given-name expansion for
//! disambiguation, and each part formatted by its `cs:name-part`.

use citationberg::{
    DemoteNonDroppingParticle, Name as NameElement, NameAsSortOrder, NameForm, NameOptions,
    NamePart, TextCase,
};

use super::context::{Ctx, Mode};
use super::names::{initials, is_cjk, sort_key};
use super::output::{is_empty, with_affixes, Inline};
use super::reference::Name;
use super::render::{apply_formatting, case_for_item};
use super::rich;

/// One name, and whether it was printed family name first.
pub(super) fn render_name(
    ctx: &Ctx,
    element: &NameElement,
    options: &NameOptions,
    name: &Name,
    index: usize,
) -> (Vec<Inline>, bool) {
    if ctx.mode == Mode::Sort {
        // A macro's names sort as the style prints them: initials stay initials.
        let mut shown = name.clone();
        if let Some(given) = &name.given {
            shown.given = Some(initials(
                given,
                options.initialize_with,
                options.initialize,
                ctx,
            ));
        }
        if options.form == NameForm::Short {
            shown.given = None;
        }
        return (vec![Inline::text(sort_key(ctx, &shown))], true);
    }
    let family_part = element.name_part_family();
    let given_part = element.name_part_given();
    if let Some(literal) = &name.literal {
        let shown = match (&name.alias, ctx.in_bibliography) {
            (Some(alias), false) => alias,
            _ => literal,
        };
        return (
            styled(ctx, family_part, &[piece(Some(shown), family_part)]),
            false,
        );
    }
    let level = ctx.cite.given_levels.get(index).copied().unwrap_or(0);
    let mut form = options.form;
    let initialize_with = options.initialize_with;
    let mut initialize = options.initialize;
    // A given name shown in full keeps the style's `initialize-with` on the initials it
    // already has ("Steven L" → "Steven L."), as `initialize="false"` does.
    if level > 0 && form == NameForm::Short {
        form = NameForm::Long;
        if level >= 2 {
            initialize = false;
        }
    } else if level > 0 {
        initialize = false;
    }
    let family = name.family.as_deref().unwrap_or_default();
    let non_dropping = name.non_dropping_particle.as_deref();
    let dropping = name.dropping_particle.as_deref();
    let given = name
        .given
        .as_deref()
        .map(|given| initials(given, initialize_with, initialize, ctx))
        .filter(|g| !g.is_empty());
    let suffix = name.suffix.as_deref();
    let inverted = match options.name_as_sort_order {
        Some(NameAsSortOrder::All) => true,
        Some(NameAsSortOrder::First) => index == 0,
        None => false,
    };
    let demote = ctx.style.csl.settings.demote_non_dropping_particle;

    let particle = Piece {
        spaced: name.particle_space,
        ..piece(non_dropping, family_part)
    };
    let family_pieces = [particle, piece(Some(family), family_part)];
    if form == NameForm::Short {
        return (styled(ctx, family_part, &family_pieces), false);
    }
    let asian = is_cjk(family) || name.given.as_deref().is_some_and(is_cjk);
    if asian {
        let text = format!("{}{}", family, name.given.clone().unwrap_or_default());
        return (rich::parse(&text), false);
    }
    if name.static_ordering {
        let mut out = styled(ctx, family_part, &family_pieces);
        if let Some(given) = &given {
            out.push(Inline::text(" "));
            out.extend(styled(ctx, given_part, &[piece(Some(given), given_part)]));
        }
        return (out, false);
    }
    if inverted {
        let given_text = given.as_deref();
        let (family_pieces, given_pieces) = match demote {
            DemoteNonDroppingParticle::DisplayAndSort => (
                vec![piece(Some(family), family_part)],
                vec![
                    piece(given_text, given_part),
                    piece(dropping, given_part),
                    piece(non_dropping, family_part),
                ],
            ),
            _ => (
                family_pieces.into(),
                vec![piece(given_text, given_part), piece(dropping, given_part)],
            ),
        };
        let mut out = styled(ctx, family_part, &family_pieces);
        let given_out = styled(ctx, given_part, &given_pieces);
        if !is_empty(&given_out) {
            out.push(Inline::text(options.sort_separator));
            out.extend(given_out);
        }
        if let Some(suffix) = suffix {
            out.push(Inline::text(options.sort_separator));
            out.extend(rich::parse(suffix));
        }
        return (out, true);
    }
    let mut out = Vec::new();
    if let Some(given) = &given {
        out.extend(styled(ctx, given_part, &[piece(Some(given), given_part)]));
        // A given-name part whose suffix ends in a space (`&#160;`) is already apart.
        if !super::output::last_char(&out).is_some_and(char::is_whitespace) {
            out.push(Inline::text(" "));
        }
    }
    let suffix_text = suffix.map(|s| {
        let separator = if name.comma_suffix { ", " } else { " " };
        format!("{separator}{s}")
    });
    let display_pieces = [
        Piece {
            cased: false,
            // Next to the family name when there is no other particle: "Tom de' Frinkle".
            spaced: name.particle_space && non_dropping.is_none(),
            ..piece(dropping, family_part)
        },
        particle,
        piece(Some(family), family_part),
        Piece {
            part: None,
            cased: false,
            attached: true,
            ..piece(suffix_text.as_deref(), None)
        },
    ];
    out.extend(styled(ctx, family_part, &display_pieces));
    (out, false)
}

/// A piece of a name: its text, the name-part whose formatting (and, if `cased`, text case)
/// it takes.
#[derive(Clone, Copy)]
struct Piece<'a> {
    text: Option<&'a str>,
    part: Option<&'a NamePart>,
    cased: bool,
    /// Printed as is, without a space before it (a suffix carries its own separator).
    attached: bool,
    /// Followed by a space even though it ends in an apostrophe.
    spaced: bool,
}

fn piece<'a>(text: Option<&'a str>, part: Option<&'a NamePart>) -> Piece<'a> {
    Piece {
        text,
        part,
        cased: true,
        attached: false,
        spaced: false,
    }
}

/// The pieces joined by spaces (none after a particle ending in an apostrophe or hyphen), each
/// formatted by its part, with `affixes`' prefix and suffix around them all. A suffix ("Jr.")
/// is a piece without a part.
fn styled(ctx: &Ctx, affixes: Option<&NamePart>, pieces: &[Piece]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut previous = String::new();
    let mut previous_spaced = false;
    for piece in pieces {
        let Some(text) = piece.text.filter(|t| !t.is_empty()) else {
            continue;
        };
        if piece.attached {
            out.extend(rich::parse(text));
            continue;
        }
        if !previous.is_empty() && (previous_spaced || !previous.ends_with(['\'', '\u{2019}', '-']))
        {
            out.push(Inline::text(" "));
        }
        let mut body = rich::parse(text);
        if let Some(part) = piece.part {
            // Title case leaves particles alone ("John von Doe").
            let particle = piece
                .text
                .is_some_and(|t| t.chars().next().is_some_and(char::is_lowercase));
            let skip = particle
                && matches!(
                    part.text_case,
                    Some(TextCase::TitleCase | TextCase::CapitalizeAll | TextCase::CapitalizeFirst)
                );
            if let (Some(case), true, false) = (part.text_case, piece.cased, skip) {
                case_for_item(ctx, &mut body, case);
            }
            body = apply_formatting(body, &part.formatting);
        }
        out.extend(body);
        previous = text.to_string();
        previous_spaced = piece.spaced;
    }
    match affixes {
        Some(part) => with_affixes(
            out,
            part.affixes.prefix.as_deref(),
            part.affixes.suffix.as_deref(),
            false,
        ),
        None => out,
    }
}
