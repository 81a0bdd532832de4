//! Work kept between runs of the engine on one style, so that an edit re-formats only what it
//! can change. Every value is keyed by a hash of everything it is computed from: the
//! reference's variables and the cite's state (citation number, year-suffix, added names,
//! position…). A key that an edit does not touch finds last run's value; one it does (the new
//! cite, its same-author-year group, the numbers after it in a numeric style) is computed again.
//!
//! The style itself is not in the keys: a memo belongs to one style, and its owner drops it
//! when the style, the locale or brief's version change.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::sort::KeyValue;

/// A hash of what a value is computed from.
pub type Key = u64;

/// The key of `parts`. `DefaultHasher::new()` has fixed keys: the same input gives the same key
/// in every run of one build of brief (a saved memo is dropped when brief's version changes).
pub fn key_of(parts: impl Hash) -> Key {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

/// Values by key: those found in the last run, and those this run used or made. Only the
/// latter are saved, so the memo holds what the document needs now and does not grow.
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "V: Serialize", deserialize = "V: Deserialize<'de>"))]
pub struct Table<V> {
    #[serde(skip)]
    previous: HashMap<Key, V>,
    #[serde(rename = "values")]
    current: HashMap<Key, V>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Self {
            previous: HashMap::new(),
            current: HashMap::new(),
        }
    }
}

impl<V: Clone + Send> Table<V> {
    /// Makes what the last run used the values this run may find.
    pub fn start_run(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }

    /// The value for each of `keys`: kept, or `compute(index)`, the missing ones computed on
    /// every core. The result does not depend on which were kept.
    pub fn values(&mut self, keys: &[Key], compute: impl Fn(usize) -> V + Sync) -> Vec<V> {
        self.values_with(keys, |i| (compute(i), ()))
            .into_iter()
            .map(|(value, _)| value)
            .collect()
    }

    /// As [`Table::values`], where computing a value also gives something worth keeping for
    /// this run only (the entry rendered on the way to its names): `Some` where it was computed.
    pub fn values_with<E: Send>(
        &mut self,
        keys: &[Key],
        compute: impl Fn(usize) -> (V, E) + Sync,
    ) -> Vec<(V, Option<E>)> {
        let mut found: Vec<Option<(V, Option<E>)>> = keys
            .iter()
            .map(|&key| self.take(key).map(|value| (value, None)))
            .collect();
        let missing: Vec<usize> = (0..keys.len()).filter(|&i| found[i].is_none()).collect();
        let computed = crate::parallel::map(missing.len(), |j| compute(missing[j]));
        for (index, (value, extra)) in missing.into_iter().zip(computed) {
            self.current.insert(keys[index], value.clone());
            found[index] = Some((value, Some(extra)));
        }
        found.into_iter().flatten().collect()
    }

    /// The value for `key`: kept, or `compute()`.
    pub fn value(&mut self, key: Key, compute: impl FnOnce() -> V) -> V {
        if let Some(value) = self.take(key) {
            return value;
        }
        let value = compute();
        self.current.insert(key, value.clone());
        value
    }

    fn take(&mut self, key: Key) -> Option<V> {
        if let Some(value) = self.current.get(&key) {
            return Some(value.clone());
        }
        let value = self.previous.remove(&key)?;
        self.current.insert(key, value.clone());
        Some(value)
    }

    /// How many values this run used or made.
    pub fn len(&self) -> usize {
        self.current.len()
    }

    pub fn is_empty(&self) -> bool {
        self.current.is_empty()
    }

    /// Whether every value kept holds `test` (a memo read from disk is checked before use).
    pub fn all(&self, test: impl Fn(&V) -> bool) -> bool {
        self.current
            .values()
            .chain(self.previous.values())
            .all(test)
    }
}

/// What the engine keeps: the costly parts of deciding the document before printing it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Memo {
    /// Each reference's bibliography sort keys.
    pub(super) sort_keys: Table<Vec<KeyValue>>,
    /// Each reference's first cite as plain text, which disambiguation compares.
    pub(super) cite_texts: Table<String>,
    /// The names each bibliography entry starts with (subsequent-author-substitute).
    pub(super) entry_names: Table<super::bibliography::EntryNames>,
}

impl Memo {
    pub fn start_run(&mut self) {
        self.sort_keys.start_run();
        self.cite_texts.start_run();
        self.entry_names.start_run();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_second_run_computes_only_new_keys_and_forgets_unused_ones() {
        let mut table: Table<String> = Table::default();
        let computed = AtomicUsize::new(0);
        let value = |key: Key| {
            computed.fetch_add(1, Ordering::Relaxed);
            format!("value {key}")
        };
        let first = [1, 2, 3];
        assert_eq!(table.values(&first, |i| value(first[i])).len(), 3);
        assert_eq!(computed.load(Ordering::Relaxed), 3);
        table.start_run();
        let second = [2, 3, 4];
        let values = table.values(&second, |i| value(second[i]));
        assert_eq!(values, ["value 2", "value 3", "value 4"]);
        assert_eq!(computed.load(Ordering::Relaxed), 4, "only key 4 was new");
        assert_eq!(table.len(), 3, "key 1 is no longer kept");
    }

    #[test]
    fn keys_differ_when_any_part_does() {
        assert_eq!(key_of(("a", 1)), key_of(("a", 1)));
        assert_ne!(key_of(("a", 1)), key_of(("a", 2)));
        assert_ne!(key_of(("ab", "c")), key_of(("a", "bc")));
    }
}
