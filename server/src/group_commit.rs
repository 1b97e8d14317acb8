//! Group commit: requests hand their work to one writer task and wait; the writer takes
//! everything waiting (up to [`MAX_GROUP`]) and applies it together — one transaction, a few
//! multi-row statements — then answers each request. Under load the cost of a round trip is
//! shared by many requests, so it falls per request as traffic rises; alone, a request's work
//! is applied at once. An answer still means the work is on disk.
//!
//! There are a few writers (lanes), so one group's round trips overlap another's; a job goes
//! to the lane its key names, so jobs with one key (one visit's batches) are applied in
//! arrival order by one writer and never race each other.

use std::{future::Future, sync::Arc};

use tokio::sync::{mpsc, oneshot};

use crate::error::{AppError, AppResult};

/// Jobs per group, at most: one INSERT of this many rows stays well under both databases'
/// limits on bound parameters.
pub const MAX_GROUP: usize = 256;
/// Jobs waiting for the writer, at most; further requests wait to hand theirs over.
const QUEUE: usize = 4 * MAX_GROUP;

type Job<J, O> = (J, oneshot::Sender<AppResult<O>>);

/// Where requests hand their jobs. Cheap to clone; the writer task ends when the last clone
/// is dropped, after answering every job it took.
pub struct GroupCommit<J, O> {
    name: &'static str,
    lanes: Arc<[mpsc::Sender<Job<J, O>>]>,
}

impl<J, O> Clone for GroupCommit<J, O> {
    fn clone(&self) -> Self {
        Self {
            name: self.name,
            lanes: self.lanes.clone(),
        }
    }
}

impl<J: Send + 'static, O: Send + 'static> GroupCommit<J, O> {
    /// Starts `lanes` writer tasks (needs a Tokio runtime). `apply` gets a group in arrival
    /// order and gives one outcome per job, in order; its error fails every job of the group.
    pub fn spawn<F, Fut>(name: &'static str, lanes: usize, apply: F) -> Self
    where
        F: Fn(Vec<J>) -> Fut + Clone + Send + 'static,
        Fut: Future<Output = AppResult<Vec<AppResult<O>>>> + Send + 'static,
    {
        let lanes = (0..lanes.max(1))
            .map(|_| {
                let (jobs, queue) = mpsc::channel(QUEUE);
                tokio::spawn(run(name, queue, apply.clone()));
                jobs
            })
            .collect();
        Self { name, lanes }
    }

    /// Applies `job` with whatever else is waiting in the lane of `key`; answers once it is
    /// committed.
    pub async fn submit(&self, key: u64, job: J) -> AppResult<O> {
        let (answer, outcome) = oneshot::channel();
        let name = self.name;
        let lane = &self.lanes[(key % self.lanes.len() as u64) as usize];
        lane.send((job, answer))
            .await
            .map_err(|_| AppError::internal(anyhow::anyhow!("the {name} writer has stopped")))?;
        outcome.await.map_err(|_| {
            AppError::internal(anyhow::anyhow!(
                "the {name} writer dropped a job unanswered"
            ))
        })?
    }
}

async fn run<J, O, F, Fut>(name: &'static str, mut queue: mpsc::Receiver<Job<J, O>>, apply: F)
where
    J: Send + 'static,
    O: Send + 'static,
    F: Fn(Vec<J>) -> Fut,
    Fut: Future<Output = AppResult<Vec<AppResult<O>>>> + Send + 'static,
{
    let mut waiting = Vec::with_capacity(MAX_GROUP);
    while queue.recv_many(&mut waiting, MAX_GROUP).await > 0 {
        let (jobs, answers): (Vec<_>, Vec<_>) = waiting.drain(..).unzip();
        // Its own task, so that a bug panicking in one group fails that group's requests
        // (their answers are dropped), not the writer.
        match tokio::spawn(apply(jobs)).await {
            Ok(Ok(outcomes)) => {
                debug_assert_eq!(outcomes.len(), answers.len());
                for (answer, outcome) in answers.into_iter().zip(outcomes) {
                    // The request may have gone (client disconnected): nothing to tell.
                    let _ = answer.send(outcome);
                }
            }
            Ok(Err(err)) => {
                let cause = format!("{err:?}");
                tracing::error!(error = %cause, jobs = answers.len(), "{name} writer: group failed");
                for answer in answers {
                    let _ = answer.send(Err(AppError::internal(anyhow::anyhow!(
                        "{name} writer: group failed: {cause}"
                    ))));
                }
            }
            Err(panic) => tracing::error!(error = %panic, "{name} writer: group panicked"),
        }
    }
}
