//! Counts the steps the parsers take over a text, so a test can show that the work grows
//! linearly with the input without timing anything. Every loop that walks tokens, chars or
//! words calls [`step`] once per iteration; outside tests it compiles to nothing.

#[cfg(test)]
use std::cell::Cell;

#[cfg(test)]
thread_local! {
    static STEPS: Cell<u64> = const { Cell::new(0) };
}

/// One iteration of a loop over the input.
#[inline(always)]
pub(crate) fn step() {
    #[cfg(test)]
    STEPS.with(|steps| steps.set(steps.get().saturating_add(1)));
}

/// Runs `work` and returns how many steps it took (on this thread).
#[cfg(test)]
pub(crate) fn counted<R>(work: impl FnOnce() -> R) -> (R, u64) {
    let before = STEPS.with(Cell::get);
    let result = work();
    (result, STEPS.with(Cell::get).saturating_sub(before))
}
