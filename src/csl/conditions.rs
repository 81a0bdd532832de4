//! Choose (CSL 1.0.2, "Choose"): which branch of a `cs:choose` applies. A branch may carry
//! several tests (`type="book" variable="author"`); `match` combines all of their values.

use citationberg::taxonomy::{DateVariable, Locator, NumberVariable, StandardVariable, Variable};
use citationberg::{Choose, ChooseBranch, ChooseMatch, LayoutRenderingElement, TestPosition};

use super::context::{Ctx, Position};
use super::numbers::{is_numeric, number_value};
use super::reference::Value;

/// The children of the first branch whose tests pass, else of `cs:else`.
pub fn branch<'c>(ctx: &Ctx, choose: &'c Choose) -> Option<&'c [LayoutRenderingElement]> {
    for branch in choose.branches() {
        if passes(ctx, branch) {
            return Some(&branch.children);
        }
    }
    choose.otherwise.as_ref().map(|e| e.children.as_slice())
}

fn passes(ctx: &Ctx, branch: &ChooseBranch) -> bool {
    let mut results = Vec::new();
    if let Some(wanted) = branch.disambiguate {
        results.push(ctx.cite.disambiguate == wanted);
    }
    if let Some(variables) = &branch.is_numeric {
        results.extend(variables.iter().map(|v| numeric(ctx, *v)));
    }
    if let Some(variables) = &branch.is_uncertain_date {
        results.extend(variables.iter().map(|v| uncertain(ctx, *v)));
    }
    if let Some(locators) = &branch.locator {
        results.extend(locators.iter().map(|l| locator_is(ctx, *l)));
    }
    if let Some(positions) = &branch.position {
        results.extend(positions.iter().map(|p| position_is(ctx, *p)));
    }
    if let Some(kinds) = &branch.type_ {
        results.extend(kinds.iter().map(|k| ctx.reference.kind == *k));
    }
    if let Some(variables) = &branch.variable {
        results.extend(variables.iter().map(|v| has_variable(ctx, *v)));
    }
    if results.is_empty() {
        return false;
    }
    match branch.match_ {
        ChooseMatch::All => results.iter().all(|&r| r),
        ChooseMatch::Any => results.iter().any(|&r| r),
        ChooseMatch::None => results.iter().all(|&r| !r),
    }
}

/// Whether a variable has a value for this cite. A name variable printed in place of another
/// (`cs:substitute`) is not printed again, but it still counts here: APA asks whether a chapter
/// has editors after printing them as the book's contributors ("In C. Weihs (Ed.), …
/// Springer"), as Pandoc's citeproc and citeproc-js answer it.
pub fn has_variable(ctx: &Ctx, variable: Variable) -> bool {
    if ctx.is_suppressed(variable) && !matches!(variable, Variable::Name(_)) {
        return false;
    }
    match variable {
        Variable::Number(
            NumberVariable::Locator
            | NumberVariable::CitationNumber
            | NumberVariable::FirstReferenceNoteNumber
            | NumberVariable::PageFirst,
        ) => number_value(ctx, variable).is_some(),
        Variable::Standard(StandardVariable::YearSuffix) => ctx.cite.year_suffix.is_some(),
        Variable::Standard(StandardVariable::CitationLabel) => true,
        _ => match ctx.reference.get(variable) {
            Some(Value::Text(text)) => !text.is_empty(),
            Some(Value::Names(names)) => !names.is_empty(),
            Some(Value::Date(date)) => {
                date.literal.is_some() || date.parts.first().is_some_and(|p| p.year != 0)
            }
            None => false,
        },
    }
}

fn numeric(ctx: &Ctx, variable: Variable) -> bool {
    number_value(ctx, variable).is_some_and(|v| is_numeric(&v))
}

fn uncertain(ctx: &Ctx, variable: DateVariable) -> bool {
    ctx.reference.date(variable).is_some_and(|d| d.circa)
}

fn locator_is(ctx: &Ctx, wanted: Locator) -> bool {
    if ctx.cite.locator.is_none() {
        return false;
    }
    let label = ctx.cite.label.unwrap_or(Locator::Page);
    label == wanted
}

fn position_is(ctx: &Ctx, wanted: TestPosition) -> bool {
    // Positions only exist in citations; the bibliography is never "subsequent".
    if ctx.in_bibliography || ctx.mode == super::context::Mode::Bibliography {
        return false;
    }
    let position = ctx.cite.position;
    match wanted {
        TestPosition::First => position == Position::First,
        TestPosition::Subsequent => position != Position::First,
        TestPosition::Ibid => matches!(position, Position::Ibid | Position::IbidWithLocator),
        TestPosition::IbidWithLocator => position == Position::IbidWithLocator,
        TestPosition::NearNote => position != Position::First && ctx.cite.near_note,
    }
}
