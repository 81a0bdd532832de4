//! Disambiguation (CSL 1.0.2, "Disambiguation"): cites of different references that print the
//! same are told apart, in the specification's order: (1) add names, (2) add given names or
//! initials, (3) the `disambiguate="true"` condition, (4) year-suffixes in bibliography order.
//! Only references whose cites collide are re-rendered; each is rendered once per step.

use std::cell::RefCell;
use std::collections::HashMap;

use citationberg::taxonomy::NameVariable;
use citationberg::DisambiguationRule;

use super::citation::{render_cite, Document};
use super::context::{CiteState, Prepared, StateKey};
use super::memo::{self, Key, Memo};
use super::output::plain;
use super::reference::{Name, Reference};

pub fn run(style: &Prepared, document: &mut Document, memo: &mut Memo) {
    let citation = &style.csl.citation;
    let uses_condition = style.uses_disambiguate_condition;
    if !(citation.disambiguate_add_names
        || citation.disambiguate_add_givenname
        || citation.disambiguate_add_year_suffix
        || uses_condition)
    {
        return;
    }
    let order: Vec<&Reference> = document.order.clone();
    let mut states: Vec<CiteState> = order
        .iter()
        .map(|r| {
            document
                .states
                .get(r.id.as_str())
                .cloned()
                .unwrap_or_default()
        })
        .collect();

    if citation.disambiguate_add_givenname {
        let rule = citation.givenname_disambiguation_rule;
        if rule != DisambiguationRule::ByCite {
            expand_ambiguous_names(&order, &mut states, rule);
        }
    }

    // Every cite rendered here is kept between runs, keyed by its reference and state: most
    // are the same as last time, the colliding groups' trials included.
    let reference_keys: Vec<Option<Key>> = order
        .iter()
        .map(|r| document.reference_keys.get(r.id.as_str()).copied())
        .collect();
    let key = |index: usize, state: &CiteState| -> Key {
        memo::key_of(("cite text", reference_keys[index], StateKey(state, style)))
    };
    let render_state = |index: usize, state: &CiteState| -> String {
        plain(&render_cite(style, order[index], state, false).0)
    };
    let keys: Vec<Key> = (0..order.len()).map(|i| key(i, &states[i])).collect();
    let mut renders: Vec<String> = memo
        .cite_texts
        .values(&keys, |i| render_state(i, &states[i]));
    let texts = RefCell::new(&mut memo.cite_texts);
    let render = |index: usize, state: &CiteState| -> String {
        texts
            .borrow_mut()
            .value(key(index, state), || render_state(index, state))
    };

    for group in collisions(&renders) {
        let mut members = group;
        if citation.disambiguate_add_names {
            let expand_given = citation.disambiguate_add_givenname;
            add_names(
                &order,
                &mut states,
                &mut renders,
                &members,
                expand_given,
                &render,
            );
            members = still_colliding(&renders, &members);
        }
        if citation.disambiguate_add_givenname && !members.is_empty() {
            let rule = citation.givenname_disambiguation_rule;
            add_given_names(&order, &mut states, &mut renders, &members, rule, &render);
            members = still_colliding(&renders, &members);
        }
        if uses_condition && !members.is_empty() {
            for &m in &members {
                states[m].disambiguate = true;
                renders[m] = render(m, &states[m]);
            }
            members = still_colliding(&renders, &members);
        }
        if citation.disambiguate_add_year_suffix && !members.is_empty() {
            for set in collisions_among(&renders, &members) {
                for (letter, &m) in set.iter().enumerate() {
                    states[m].year_suffix = Some(letter + 1);
                }
            }
        }
    }
    // A style that words later cites differently ("Doe, supra") can make them collide where
    // first cites did not: those get the `disambiguate` condition too.
    if uses_condition && style.uses_position {
        let subsequent = |index: usize, state: &CiteState| -> String {
            let mut state = state.clone();
            state.position = super::context::Position::Subsequent;
            render(index, &state)
        };
        // Only collisions that a later cite meets count.
        let mut cited_again: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (citation, positions) in document.citations.iter().zip(&document.positions) {
            for (item, (position, _, _)) in citation.items.iter().zip(positions) {
                if *position != super::context::Position::First {
                    cited_again.insert(item.id.as_str());
                }
            }
        }
        let later: Vec<String> = (0..order.len())
            .map(|i| subsequent(i, &states[i]))
            .collect();
        for group in collisions(&later) {
            if group
                .iter()
                .any(|&m| cited_again.contains(order[m].id.as_str()))
            {
                for m in group {
                    states[m].disambiguate = true;
                }
            }
        }
    }
    for (reference, state) in order.iter().zip(states) {
        document.states.insert(reference.id.as_str(), state);
    }
}

/// Groups of indexes whose renders are identical, each in bibliography order.
fn collisions(renders: &[String]) -> Vec<Vec<usize>> {
    let all: Vec<usize> = (0..renders.len()).collect();
    collisions_among(renders, &all)
}

fn collisions_among(renders: &[String], members: &[usize]) -> Vec<Vec<usize>> {
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut first_seen = Vec::new();
    for &m in members {
        let entry = by_text.entry(renders[m].as_str()).or_default();
        if entry.is_empty() {
            first_seen.push(renders[m].as_str());
        }
        entry.push(m);
    }
    first_seen
        .into_iter()
        .filter_map(|text| by_text.remove(text))
        .filter(|group| group.len() > 1)
        .collect()
}

fn still_colliding(renders: &[String], members: &[usize]) -> Vec<usize> {
    collisions_among(renders, members)
        .into_iter()
        .flatten()
        .collect()
}

fn distinct(renders: &[String], members: &[usize]) -> usize {
    let mut texts: Vec<&str> = members.iter().map(|&m| renders[m].as_str()).collect();
    texts.sort_unstable();
    texts.dedup();
    texts.len()
}

fn first_names(reference: &Reference) -> &[Name] {
    for variable in [
        NameVariable::Author,
        NameVariable::Editor,
        NameVariable::Translator,
    ] {
        if let Some(names) = reference.names(variable) {
            return names;
        }
    }
    &[]
}

/// The longest name list among `members`.
fn most_names(order: &[&Reference], members: &[usize]) -> usize {
    members
        .iter()
        .map(|&m| first_names(order[m]).len())
        .max()
        .unwrap_or(0)
}

/// Step 1: names are added one at a time while that tells more cites apart; each cite keeps the
/// fewest that made it unique, the others the count that helped most.
fn add_names(
    order: &[&Reference],
    states: &mut [CiteState],
    renders: &mut [String],
    members: &[usize],
    expand_given: bool,
    render: &dyn Fn(usize, &CiteState) -> String,
) {
    let most = most_names(order, members);
    let mut best = (distinct(renders, members), 0);
    let mut settled: HashMap<usize, usize> = HashMap::new();
    for extra in 1..most {
        for &m in members {
            if !settled.contains_key(&m) {
                states[m].extra_names = extra;
                renders[m] = render(m, &states[m]);
            }
        }
        let count = distinct(renders, members);
        if count > best.0 {
            best = (count, extra);
        }
        let colliding = still_colliding(renders, members);
        for &m in members {
            if !colliding.contains(&m) {
                settled.entry(m).or_insert(extra);
            }
        }
        if colliding.is_empty() {
            break;
        }
    }
    for &m in members {
        let extra = settled.get(&m).copied().unwrap_or(best.1);
        if states[m].extra_names != extra {
            states[m].extra_names = extra;
            renders[m] = render(m, &states[m]);
        }
    }
    if !expand_given {
        return;
    }
    // Names that only their given names tell apart: as many names as it takes for the full
    // given names to differ; step 2 then adds only the initials or names needed.
    let full = |m: usize, state: &CiteState, extra_names: usize| -> String {
        let mut trial = state.clone();
        trial.extra_names = extra_names;
        trial.given_levels = vec![2; most];
        render(m, &trial)
    };
    let colliding = still_colliding(renders, members);
    let base = colliding
        .iter()
        .map(|&m| states[m].extra_names)
        .min()
        .unwrap_or(0);
    let mut open: Vec<usize> = colliding.clone();
    for extra in base..most {
        let fulls: Vec<(usize, String)> = colliding
            .iter()
            .map(|&m| {
                let extra_names = if open.contains(&m) {
                    extra
                } else {
                    states[m].extra_names
                };
                (m, full(m, &states[m], extra_names))
            })
            .collect();
        let unique: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&m| {
                let mine = &fulls.iter().find(|(o, _)| *o == m).map(|(_, t)| t.clone());
                fulls
                    .iter()
                    .filter(|(o, t)| *o != m && Some(t) == mine.as_ref())
                    .count()
                    == 0
            })
            .collect();
        for &m in &unique {
            if states[m].extra_names != extra {
                states[m].extra_names = extra;
                renders[m] = render(m, &states[m]);
            }
        }
        open.retain(|m| !unique.contains(m));
        if open.is_empty() {
            break;
        }
    }
}

/// Step 2, by cite: each name in turn gets its initials, then its full given name, kept only
/// where that tells a cite apart.
fn add_given_names(
    order: &[&Reference],
    states: &mut [CiteState],
    renders: &mut [String],
    members: &[usize],
    rule: DisambiguationRule,
    render: &dyn Fn(usize, &CiteState) -> String,
) {
    let most = most_names(order, members);
    let name_count = if rule.allows_multiple_names() {
        most
    } else {
        most.min(1)
    };
    let top_level = if rule.allows_full_first_names() { 2 } else { 1 };
    // Initials for each name in turn first, then full given names.
    for level in 1..=top_level {
        for name in 0..name_count {
            let colliding = still_colliding(renders, members);
            if colliding.is_empty() {
                return;
            }
            let before = distinct(renders, members);
            let saved: Vec<(usize, CiteState, String)> = colliding
                .iter()
                .map(|&m| (m, states[m].clone(), renders[m].clone()))
                .collect();
            for &m in &colliding {
                let levels = &mut states[m].given_levels;
                if levels.len() <= name {
                    levels.resize(name + 1, 0);
                }
                levels[name] = levels[name].max(level);
                renders[m] = render(m, &states[m]);
            }
            if distinct(renders, members) <= before {
                for (m, state, text) in saved {
                    states[m] = state;
                    renders[m] = text;
                }
            }
        }
    }
}

/// The all-names and primary-name rules: names that share a family name with another cited
/// name are expanded everywhere, whether or not their cites collide.
fn expand_ambiguous_names(
    order: &[&Reference],
    states: &mut [CiteState],
    rule: DisambiguationRule,
) {
    let family_key = |name: &Name| -> Option<String> {
        let family = name.family.as_ref()?;
        Some(match &name.non_dropping_particle {
            Some(particle) => format!("{particle} {family}"),
            None => family.clone(),
        })
    };
    // Names of other references only: two Oblingers of one work are no ambiguity.
    let mut by_family: HashMap<String, Vec<(usize, String, String)>> = HashMap::new();
    // Under the primary-name rules only first names are compared (APA 8.20: first authors who
    // share a family name).
    let compared = if rule.allows_multiple_names() {
        usize::MAX
    } else {
        1
    };
    for (index, reference) in order.iter().enumerate() {
        for name in first_names(reference).iter().take(compared) {
            if let Some(family) = family_key(name) {
                let given = name.given.clone().unwrap_or_default();
                let initials: String = given
                    .split([' ', '-', '.'])
                    .filter_map(|w| w.chars().next())
                    .collect();
                by_family
                    .entry(family)
                    .or_default()
                    .push((index, initials, given));
            }
        }
    }
    for (index, reference) in order.iter().enumerate() {
        for (position, name) in first_names(reference).iter().enumerate() {
            if !rule.allows_multiple_names() && position > 0 {
                break;
            }
            let Some(family) = family_key(name) else {
                continue;
            };
            let given = name.given.clone().unwrap_or_default();
            let Some(all) = by_family.get(&family) else {
                continue;
            };
            let others: Vec<(String, String)> = all
                .iter()
                .filter(|(from, _, _)| *from != index)
                .map(|(_, i, g)| (i.clone(), g.clone()))
                .collect();
            let other_given = others.iter().any(|(_, g)| *g != given);
            if !other_given {
                continue;
            }
            let initials: String = given
                .split([' ', '-', '.'])
                .filter_map(|w| w.chars().next())
                .collect();
            let same_initials = others.iter().any(|(i, g)| *i == initials && *g != given);
            let other_initials = others.iter().any(|(i, _)| *i != initials);
            // Initials are added only where they tell this name from every other one of the
            // family; full names where initials would not.
            let level = match (same_initials, rule.allows_full_first_names()) {
                (true, true) => 2,
                (true, false) => continue,
                (false, _) if other_initials => 1,
                (false, _) => continue,
            };
            let levels = &mut states[index].given_levels;
            if levels.len() <= position {
                levels.resize(position + 1, 0);
            }
            levels[position] = levels[position].max(level);
        }
    }
}
