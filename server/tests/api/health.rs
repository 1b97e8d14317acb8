use crate::helpers::{Backend, TestApp};

async fn healthz_reports_database_state(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ok = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "ok");

    // Break the server's database on purpose: its pool is closed under it.
    app.state.db.close_by_ref().await.unwrap();
    let down = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(down.status(), 503);
}

async fn database_failures_are_masked_as_internal(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.state.db.close_by_ref().await.unwrap();
    let body = app.gql("{ services { id } }", serde_json::json!({})).await;
    crate::helpers::assert_error(&body, "INTERNAL", None);
    let text = body.to_string().to_lowercase();
    for leak in ["pool", "sql", "connection", "closed"] {
        assert!(
            !text.contains(leak),
            "internal detail `{leak}` leaked: {body}"
        );
    }
}

async fn graceful_shutdown_completes(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    app.create_service(&token, "Аудит", None).await;
    let db = app.db.clone();
    app.stop().await.expect("the server stops cleanly");
    // What was acknowledged before the stop is in the database.
    use sea_orm::EntityTrait;
    let rows = server::db::entities::service::Entity::find()
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
}

db_tests!(
    healthz_reports_database_state,
    database_failures_are_masked_as_internal,
    graceful_shutdown_completes,
);
