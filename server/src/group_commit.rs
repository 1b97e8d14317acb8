//! Group commit: requests hand their work to one writer task and wait; the writer takes
//! everything waiting (up to [`MAX_GROUP`]) and applies it together — one transaction, a few
//! multi-row statements — then answers each request. Under load the cost of a round trip is
//! shared by many requests, so it falls per request as traffic rises; alone, a request's work
//! is applied at once. An answer still means the work is on disk.
//!
//! There are a few writers (lanes), so one group's round trips overlap another's; a job goes
//! to the lane its key names, so jobs with one key (one visit's batches) are applied in
//! arrival order by one writer and never race each other.
//!
//! A stopping server drains its writers ([`GroupCommit::drain`]) before its last metrics flush
//! and before its pool closes: a request whose client went away leaves its job behind, and
//! that job is applied like any other instead of failing on a closed pool.

use std::{future::Future, sync::Arc};

use tokio::sync::{mpsc, oneshot, watch};

use crate::error::{AppError, AppResult};

/// Jobs per group, at most: one INSERT of this many rows stays well under both databases'
/// limits on bound parameters.
pub const MAX_GROUP: usize = 256;
/// Jobs waiting for the writer, at most; further requests wait to hand theirs over.
const QUEUE: usize = 4 * MAX_GROUP;

type Job<J, O> = (J, oneshot::Sender<AppResult<O>>);

/// Where requests hand their jobs. Cheap to clone; the writer tasks end when drained, or when
/// the last clone is dropped, after answering every job they took.
pub struct GroupCommit<J, O> {
    name: &'static str,
    lanes: Arc<[mpsc::Sender<Job<J, O>>]>,
    /// Set once to stop taking jobs.
    stop: Arc<watch::Sender<bool>>,
    /// Carries nothing: each writer holds a receiver until it has ended.
    running: Arc<watch::Sender<()>>,
}

impl<J, O> Clone for GroupCommit<J, O> {
    fn clone(&self) -> Self {
        Self {
            name: self.name,
            lanes: self.lanes.clone(),
            stop: self.stop.clone(),
            running: self.running.clone(),
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
        let stop = Arc::new(watch::Sender::new(false));
        let running = Arc::new(watch::Sender::new(()));
        let lanes = (0..lanes.max(1))
            .map(|_| {
                let (jobs, queue) = mpsc::channel(QUEUE);
                let lane = run(name, queue, stop.subscribe(), apply.clone());
                let running = running.subscribe();
                tokio::spawn(async move {
                    lane.await;
                    drop(running);
                });
                jobs
            })
            .collect();
        Self {
            name,
            lanes,
            stop,
            running,
        }
    }

    /// Stops taking jobs and waits until every job already handed over is applied and
    /// answered. Submissions fail (the writer has stopped) once each writer has finished the
    /// group in hand; until then they are queued, and applied like the rest.
    pub async fn drain(&self) {
        self.stop.send_replace(true);
        self.running.closed().await;
    }

    /// Resolves once a drain has begun.
    pub async fn draining(&self) {
        // Never an error: `self` holds the sender.
        let _ = self.stop.subscribe().wait_for(|stop| *stop).await;
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

async fn run<J, O, F, Fut>(
    name: &'static str,
    mut queue: mpsc::Receiver<Job<J, O>>,
    mut stopping: watch::Receiver<bool>,
    apply: F,
) where
    J: Send + 'static,
    O: Send + 'static,
    F: Fn(Vec<J>) -> Fut,
    Fut: Future<Output = AppResult<Vec<AppResult<O>>>> + Send + 'static,
{
    let mut waiting = Vec::with_capacity(MAX_GROUP);
    let mut closed = false;
    loop {
        let taken = tokio::select! {
            // A drain closes the queue before the writer takes more: new jobs are refused from
            // the end of the group in hand, those queued are still taken, then `recv_many`
            // gives 0.
            biased;
            _ = stopping.wait_for(|stop| *stop), if !closed => {
                queue.close();
                closed = true;
                continue;
            }
            // Cancel-safe: when the other branch wins, nothing was taken from the queue.
            taken = queue.recv_many(&mut waiting, MAX_GROUP) => taken,
        };
        if taken == 0 {
            break;
        }
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tokio::sync::Semaphore;

    use super::GroupCommit;

    /// Jobs whose requests have gone are still applied by a drain, those queued behind a
    /// group in hand included (taken after the queue is closed), and the drain returns only
    /// once all are; afterwards the writer takes nothing more.
    #[tokio::test]
    async fn drain_applies_every_job_handed_over_then_refuses_more() {
        let applied = Arc::new(Mutex::new(Vec::<u64>::new()));
        let groups = Arc::new(Mutex::new(0));
        let gate = Arc::new(Semaphore::new(0));
        let writer = {
            let (applied, groups, gate) = (applied.clone(), groups.clone(), gate.clone());
            GroupCommit::spawn("test", 2, move |jobs: Vec<u64>| {
                let (applied, groups, gate) = (applied.clone(), groups.clone(), gate.clone());
                async move {
                    *groups.lock().unwrap() += 1;
                    gate.acquire().await.expect("gate open").forget();
                    applied.lock().unwrap().extend(&jobs);
                    Ok(jobs.into_iter().map(Ok).collect())
                }
            })
        };
        let request = |job: u64| {
            let writer = writer.clone();
            tokio::spawn(async move { writer.submit(job, job).await })
        };
        // Job 0 is the first lane's group in hand, waiting at the gate; 2 and 4 (the same
        // lane) queue behind it, 1 and 3 are the other lane's.
        let mut requests = vec![request(0), request(1)];
        while *groups.lock().unwrap() < 2 {
            tokio::task::yield_now().await;
        }
        requests.extend([2, 3, 4].map(request));
        // One thread: each request runs until it waits for its answer, its job queued.
        tokio::task::yield_now().await;
        // Their clients went away.
        for request in &requests {
            request.abort();
        }
        let drained = tokio::spawn({
            let writer = writer.clone();
            async move { writer.drain().await }
        });
        tokio::task::yield_now().await;
        assert!(!drained.is_finished(), "drained with groups still waiting");
        assert!(applied.lock().unwrap().is_empty());
        gate.add_permits(Semaphore::MAX_PERMITS);
        drained.await.unwrap();
        let mut applied = applied.lock().unwrap().clone();
        applied.sort_unstable();
        assert_eq!(applied, [0, 1, 2, 3, 4]);
        assert_eq!(
            *groups.lock().unwrap(),
            4,
            "the queued jobs made a group per lane"
        );
        let refused = writer.submit(5, 5).await.unwrap_err();
        assert!(format!("{refused:?}").contains("the test writer has stopped"));
    }
}
