//! Group commit for tracker batches. Requests hand their validated batch to one writer task
//! and wait; the writer takes every batch waiting (up to [`MAX_GROUP`]) and applies them in
//! one transaction (`ingest::apply_all`), then answers each request. Under load the cost of a
//! transaction is shared by many batches, so it falls per batch as traffic rises; alone, a
//! batch is applied at once. An answer still means the batch is on disk.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

use super::{
    Aggregator, Batch, BusinessClock,
    ingest::{self, Arrival, Outcome},
};
use crate::error::{AppError, AppResult};

/// Batches per transaction, at most: one INSERT of this many visit rows stays well under both
/// databases' limits on bound parameters.
const MAX_GROUP: usize = 256;
/// Batches waiting for the writer, at most; further requests wait to hand theirs over.
const QUEUE: usize = 4 * MAX_GROUP;

struct Job {
    arrival: Arrival,
    answer: oneshot::Sender<AppResult<Outcome>>,
}

/// Where requests hand their batches. Cheap to clone; the writer task ends when the last
/// clone is dropped, after answering every batch it took.
#[derive(Clone)]
pub struct VisitWriter {
    jobs: mpsc::Sender<Job>,
}

impl VisitWriter {
    /// Starts the writer task (needs a Tokio runtime).
    pub fn spawn(
        db: DatabaseConnection,
        clock: BusinessClock,
        aggregator: Arc<Aggregator>,
    ) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(queue, db, clock, aggregator));
        Self { jobs }
    }

    /// Applies `batch` with whatever else is waiting; answers once it is committed.
    pub async fn apply(&self, batch: Batch, now: DateTime<Utc>) -> AppResult<Outcome> {
        let (answer, outcome) = oneshot::channel();
        let job = Job {
            arrival: Arrival { batch, now },
            answer,
        };
        self.jobs
            .send(job)
            .await
            .map_err(|_| AppError::internal(anyhow::anyhow!("the visit writer has stopped")))?;
        outcome.await.map_err(|_| {
            AppError::internal(anyhow::anyhow!(
                "the visit writer dropped a batch unanswered"
            ))
        })?
    }
}

async fn run(
    mut queue: mpsc::Receiver<Job>,
    db: DatabaseConnection,
    clock: BusinessClock,
    aggregator: Arc<Aggregator>,
) {
    let mut jobs = Vec::with_capacity(MAX_GROUP);
    while queue.recv_many(&mut jobs, MAX_GROUP).await > 0 {
        let (arrivals, answers): (Vec<_>, Vec<_>) =
            jobs.drain(..).map(|job| (job.arrival, job.answer)).unzip();
        // Its own task, so that a bug panicking in one group fails that group's requests
        // (their answers are dropped), not the writer.
        let group = {
            let (db, clock, aggregator) = (db.clone(), clock.clone(), aggregator.clone());
            tokio::spawn(
                async move { ingest::apply_all(&db, &clock, &aggregator, &arrivals).await },
            )
        };
        match group.await {
            Ok(Ok(outcomes)) => {
                for (answer, outcome) in answers.into_iter().zip(outcomes) {
                    // The request may have gone (client disconnected): nothing to tell.
                    let _ = answer.send(outcome);
                }
            }
            Ok(Err(err)) => {
                tracing::error!(error = ?err, batches = answers.len(), "applying tracker batches failed");
                let cause = format!("{err:?}");
                for answer in answers {
                    let _ = answer.send(Err(AppError::internal(anyhow::anyhow!(
                        "applying a group of tracker batches failed: {cause}"
                    ))));
                }
            }
            Err(panic) => {
                tracing::error!(error = %panic, "applying tracker batches panicked");
            }
        }
    }
}
