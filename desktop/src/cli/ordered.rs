//! Ordered parallel work for batch inspection: worker threads take the inputs a few at a
//! time in input order from a shared iterator (which may read as it goes, as an archive's
//! members are), and the calling thread receives the results and hands them on strictly in
//! input order while the workers carry on.

use std::collections::BTreeMap;
use std::sync::{mpsc, Condvar, Mutex, PoisonError};

/// How many inputs a worker may run ahead of the oldest result not yet handed on, per
/// worker: bounds the reports held in memory when one input is slow.
const AHEAD_PER_WORKER: usize = 64;

/// The most inputs a worker takes at once: fewer hand-overs (each wakes the calling thread)
/// for long lists of small inputs.
const MAX_CHUNK: usize = 16;

/// Progress shared between the workers and the calling thread.
struct Gate {
    /// Results handed on so far (all inputs before this index).
    done: usize,
    /// The consumer stopped early: workers take nothing more.
    stop: bool,
}

/// Runs `work` on every item with `jobs` worker threads and passes each result to `sink` in
/// item order, on the calling thread. `sink` returns false to stop early (the remaining
/// items are not taken). With one job, or when no thread can be started, everything runs
/// on the calling thread.
pub fn for_each<T, I, R, W, S>(items: T, jobs: usize, work: W, mut sink: S)
where
    T: IntoIterator<Item = I>,
    T::IntoIter: Send,
    I: Send,
    R: Send,
    W: Fn(I) -> R + Sync,
    S: FnMut(R) -> bool,
{
    let items = items.into_iter();
    let (hint, _) = items.size_hint();
    if jobs <= 1 || items.size_hint().1 == Some(hint) && hint <= 1 {
        for item in items {
            if !sink(work(item)) {
                return;
            }
        }
        return;
    }
    // The iterator and the index of the next item it yields.
    let source = Mutex::new((items, 0usize));
    let gate = Mutex::new(Gate {
        done: 0,
        stop: false,
    });
    let moved = Condvar::new();
    let window = AHEAD_PER_WORKER.saturating_mul(jobs);
    let chunk = (hint / jobs.saturating_mul(32)).clamp(1, MAX_CHUNK);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Vec<R>)>();
        let mut started = 0;
        for n in 0..jobs {
            let tx = tx.clone();
            let (source, gate, moved, work) = (&source, &gate, &moved, &work);
            let spawned = std::thread::Builder::new()
                .name(format!("sealscope-worker-{n}"))
                .spawn_scoped(scope, move || loop {
                    let (first, taken) = {
                        let mut s = source.lock().unwrap_or_else(PoisonError::into_inner);
                        let first = s.1;
                        let taken: Vec<I> = s.0.by_ref().take(chunk).collect();
                        s.1 += taken.len();
                        (first, taken)
                    };
                    if taken.is_empty() {
                        break;
                    }
                    let mut g = gate.lock().unwrap_or_else(PoisonError::into_inner);
                    while !g.stop && first >= g.done.saturating_add(window) {
                        g = moved.wait(g).unwrap_or_else(PoisonError::into_inner);
                    }
                    if g.stop {
                        break;
                    }
                    drop(g);
                    if tx
                        .send((first, taken.into_iter().map(work).collect()))
                        .is_err()
                    {
                        break;
                    }
                });
            if spawned.is_ok() {
                started += 1;
            }
        }
        drop(tx);
        if started == 0 {
            // No worker could start: do the work here, in order.
            let mut rest = source.lock().unwrap_or_else(PoisonError::into_inner);
            for item in rest.0.by_ref() {
                if !sink(work(item)) {
                    return;
                }
            }
            return;
        }
        let mut pending = BTreeMap::new();
        let mut want = 0;
        'receive: for (first, results) in rx.iter() {
            pending.insert(first, results);
            while let Some(results) = pending.remove(&want) {
                want += results.len();
                let go_on = results.into_iter().all(&mut sink);
                let mut g = gate.lock().unwrap_or_else(PoisonError::into_inner);
                g.done = want;
                g.stop = !go_on;
                drop(g);
                moved.notify_all();
                if !go_on {
                    break 'receive;
                }
            }
        }
        // Dropping the receiver makes a worker that finishes an item stop at its send.
        drop(rx);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_arrive_in_input_order_whatever_the_workers() {
        let items: Vec<u64> = (0..2000).collect();
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            // Uneven work so that workers finish out of order.
            for_each(
                items.clone(),
                jobs,
                |n| {
                    if n % 7 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                    }
                    n * 3
                },
                |r| {
                    seen.push(r);
                    true
                },
            );
            let expected: Vec<u64> = items.iter().map(|n| n * 3).collect();
            assert_eq!(seen, expected, "jobs {jobs}");
        }
    }

    #[test]
    fn stopping_early_starts_no_more_than_the_window() {
        let items: Vec<usize> = (0..100_000).collect();
        let started = AtomicUsize::new(0);
        let mut seen = 0;
        for_each(
            items,
            2,
            |n| {
                started.fetch_add(1, Ordering::Relaxed);
                n
            },
            |_| {
                seen += 1;
                seen < 10
            },
        );
        assert_eq!(seen, 10);
        let started = started.load(Ordering::Relaxed);
        assert!(
            started <= 10 + 2 * AHEAD_PER_WORKER + 2 * MAX_CHUNK,
            "{started} inputs started after the consumer stopped at 10"
        );
    }

    #[test]
    fn one_item_and_no_items() {
        let mut seen = Vec::new();
        for_each(
            [5u8],
            4,
            |n| n + 1,
            |r| {
                seen.push(r);
                true
            },
        );
        for_each(
            Vec::<u8>::new(),
            4,
            |n| n,
            |r| {
                seen.push(r);
                true
            },
        );
        assert_eq!(seen, vec![6]);
    }
}
