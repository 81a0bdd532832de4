//! Work spread over every core, for the stages where pages are independent (rendering and
//! minifying them). Results keep their order, so output does not depend on scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Each worker's stack: room for the recursive parsers (the minifier, Tera) on deep but
/// allowed input (see [`crate::limits`]).
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// How many threads to use: one per core (at most 8), or `BRIEF_THREADS`.
pub fn workers() -> usize {
    std::env::var("BRIEF_THREADS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 8)
}

/// `f(0), f(1), … f(count - 1)`, computed on up to `workers()` threads, in order. Each worker
/// takes the next index from a shared counter, so one big item does not hold up the rest.
pub fn map<T: Send>(count: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let workers = workers().min(count);
    if workers <= 1 {
        return (0..count).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let builder = std::thread::Builder::new().stack_size(WORKER_STACK);
            let spawned = builder.spawn_scoped(scope, || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= count {
                    break;
                }
                let value = f(index);
                if let Ok(mut results) = results.lock() {
                    results[index] = Some(value);
                }
            });
            // A worker that could not start leaves its share to the others (or to the end).
            drop(spawned);
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .enumerate()
        .map(|(index, value)| value.unwrap_or_else(|| f(index)))
        .collect()
}

/// `(a(), b())`, the two at once when there is more than one worker.
pub fn both<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if workers() <= 1 {
        return (a(), b());
    }
    // Kept outside the thread, so that it can run here if no thread can be started.
    let task = Mutex::new(Some(a));
    let run = || {
        task.lock()
            .ok()
            .and_then(|mut slot| slot.take())
            .map(|a| a())
    };
    std::thread::scope(|scope| {
        let first = std::thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn_scoped(scope, run);
        let second = b();
        let first = match first {
            Ok(handle) => match handle.join() {
                Ok(first) => first,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => None,
        };
        match first.or_else(run) {
            Some(first) => (first, second),
            None => unreachable!("the first task runs once, on the thread or here"),
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_their_order() {
        let squares = super::map(100, |i| i * i);
        assert_eq!(squares, (0..100).map(|i| i * i).collect::<Vec<_>>());
        assert!(super::map(0, |i| i).is_empty());
    }
}
