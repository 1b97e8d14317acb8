//! Several replicas on one PostgreSQL: subscriptions fan out through LISTEN/NOTIFY.
//! (SQLite is the single-process mode: its events stay in-process by design.)

use serde_json::json;

use crate::helpers::{Backend, TestApp, TestDb};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_reach_subscribers_on_another_replica() {
    let a = TestApp::spawn(Backend::Postgres).await;
    let b = a.spawn_replica().await;
    let token = a.admin_token().await;

    let mut leads = b
        .ws_connect(json!({"Authorization": format!("Bearer {token}")}))
        .await
        .unwrap();
    leads
        .subscribe("1", "subscription { leadCreated { id email } }")
        .await;
    let mut services = b.ws_connect(json!({})).await.unwrap();
    services
        .subscribe("2", "subscription { servicesChanged { name } }")
        .await;
    // A's own subscriber opens before any change too: a change made before it subscribed
    // could still come back through A's NOTIFY after and be taken for B's.
    let mut on_a = a.ws_connect(json!({})).await.unwrap();
    on_a.subscribe("3", "subscription { servicesChanged { name } }")
        .await;

    // Both are registered on B (B listens since it started): A's changes reach them.
    b.until_subscribed(2).await;
    a.until_subscribed(1).await;
    let sent = a.submit_ok(json!({"email": "replica@example.com"})).await;
    let lead = leads
        .next_json()
        .await
        .expect("replica B heard about the order taken by replica A");
    assert_eq!(lead["type"], "next", "{lead}");
    assert_eq!(
        lead["payload"]["data"]["leadCreated"]["id"],
        sent.as_str(),
        "{lead}"
    );

    a.create_service(&token, "Replicated", None).await;
    for (socket, who) in [
        (&mut services, "replica B"),
        (&mut on_a, "replica A itself"),
    ] {
        let list = socket
            .next_json()
            .await
            .unwrap_or_else(|| panic!("{who} heard nothing of the service change on replica A"));
        let names = crate::helpers::names(&list["payload"]["data"]["servicesChanged"]);
        assert_eq!(names, ["Replicated"], "{who}");
    }

    // And the other way round: B's change reaches a subscriber on A.
    b.create_service(&token, "From B", None).await;
    let list = on_a
        .next_json()
        .await
        .expect("replica A heard about the service change on replica B");
    let names = crate::helpers::names(&list["payload"]["data"]["servicesChanged"]);
    assert_eq!(names, a.service_names().await);
    assert!(names.contains(&"From B".to_owned()), "{names:?}");
}

/// Replicas started together (`--scale server=3` on a fresh database, or an update with a new
/// migration) must not race on the same DDL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_starting_together_migrate_once() {
    let db = TestDb::create(Backend::Postgres).await;
    let starts = (0..4).map(|_| {
        let url = db.url.clone();
        tokio::spawn(async move {
            let conn = server::db::connect(&url).await?;
            server::db::migrate(&conn).await
        })
    });
    for started in futures_util::future::join_all(starts).await {
        started
            .expect("the replica's start-up did not panic")
            .expect("every replica starts: one migrates, the others find it done");
    }
    let conn = server::db::connect(&db.url).await.unwrap();
    use sea_orm::{ConnectionTrait, Statement};
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) AS n, COUNT(DISTINCT version) AS d FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap();
    let (n, d): (i64, i64) = (row.try_get("", "n").unwrap(), row.try_get("", "d").unwrap());
    assert!(n > 0);
    assert_eq!(n, d, "each migration applied once");
}

/// Two replicas get every batch of the same visits at once (a tracker retrying through a
/// load balancer): new visits race to be created, stored ones are locked while a group
/// applies. Every batch is acknowledged and counts once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_of_one_visit_on_two_replicas_apply_once() {
    let a = TestApp::spawn(Backend::Postgres).await;
    let b = a.spawn_replica().await;
    let token = a.admin_token().await;
    let visits: Vec<(String, String)> = (0..10)
        .map(|_| {
            (
                uuid::Uuid::new_v4().to_string(),
                uuid::Uuid::new_v4().to_string(),
            )
        })
        .collect();
    for seq in 1..=6 {
        let sends = visits.iter().flat_map(|(visitor, visit)| {
            let batch = json!({"visitorId": visitor, "visitId": visit, "seq": seq,
                "engagedSeconds": 2, "points": [{"x": 0.5, "y": seq * 16}]});
            [a.send_batch(batch.clone()), b.send_batch(batch)]
        });
        for answer in futures_util::future::join_all(sends).await {
            assert_eq!(answer["data"]["submitMetrics"], true, "{answer}");
        }
    }
    a.flush_metrics().await;
    b.flush_metrics().await;
    let body = a
        .gql_as(
            &token,
            "{ metricStats { visits { day } averageTimeOnPage { day } heatmap { cells { count } } } }",
            json!({}),
        )
        .await;
    let s = &body["data"]["metricStats"];
    assert_eq!(s["visits"]["day"], 10, "{body}");
    assert_eq!(s["averageTimeOnPage"]["day"], 12.0, "{body}");
    let points: i64 = s["heatmap"]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .sum();
    assert_eq!(points, 60, "{body}");
}

/// The same order sent to two replicas at once (a retry through another replica): each
/// replica's duplicate guard may read before the other's write, so the unique keys keep one
/// row and the replica that lost answers with the kept order. Either way one order is stored,
/// announced once and linked to its visit, and every answer names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twins_sent_to_two_replicas_are_stored_once() {
    let a = TestApp::spawn(Backend::Postgres).await;
    let b = a.spawn_replica().await;
    let token = a.admin_token().await;
    let mut leads = a
        .ws_connect(json!({"Authorization": format!("Bearer {token}")}))
        .await
        .unwrap();
    leads
        .subscribe("1", "subscription { leadCreated { id } }")
        .await;
    a.until_subscribed(1).await;
    let mut next_event = async || {
        let message = leads.next_json().await.expect("leadCreated arrives");
        message["payload"]["data"]["leadCreated"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{message}"))
            .to_owned()
    };

    const ROUNDS: usize = 8;
    for round in 0..ROUNDS {
        let visit_id = uuid::Uuid::new_v4();
        a.send_batch_ok(
            json!({"visitorId": uuid::Uuid::new_v4().to_string(), "visitId": visit_id}),
        )
        .await;
        let order = json!({"visitId": visit_id, "email": format!("twin{round}@example.com")});
        let sends = [&a, &b, &a, &b].map(|replica| replica.submit_ok(order.clone()));
        let answers = futures_util::future::join_all(sends).await;
        assert!(answers.iter().all(|id| id == &answers[0]), "{answers:?}");
        // Events come in order: a twin announced too would be the next round's first.
        assert_eq!(next_event().await, answers[0], "round {round}");
        assert_eq!(
            a.visit_lead(visit_id).await.map(|id| id.to_string()),
            Some(answers[0].clone()),
            "round {round}"
        );
    }
    let last = a
        .submit_ok(json!({"email": "after.twins@example.com"}))
        .await;
    assert_eq!(next_event().await, last);
    assert_eq!(a.count("applications").await, ROUNDS as i64 + 1);
}
