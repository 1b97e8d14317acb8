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

/// A request in flight when shutdown begins is answered and its work kept; the server then
/// stops cleanly. (A request whose body is still arriving holds the shutdown until it is done.)
async fn graceful_shutdown_completes(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut app = TestApp::spawn(backend).await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let body = serde_json::json!({
        "query": "mutation($i: ApplicationInput!) { submitApplication(input: $i) { id } }",
        "variables": {"i": {"name": "Иван", "surname": "Петров", "email": "ivan@example.com", "consent": true}},
    })
    .to_string();
    let mut in_flight = tokio::net::TcpStream::connect(&address).await.unwrap();
    // `Expect: 100-continue`: the server asks for the body once its handler runs, so the
    // request is provably in flight (not a connection still waiting to be read) when the
    // shutdown begins.
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).await.unwrap();
    let mut interim = Vec::new();
    while !interim.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        in_flight.read_exact(&mut byte).await.unwrap();
        interim.push(byte[0]);
    }
    let interim = String::from_utf8_lossy(&interim);
    assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
    let (first, rest) = body.as_bytes().split_at(10);
    in_flight.write_all(first).await.unwrap();
    // Shutdown begins while the request's body is still on its way.
    let stopping = tokio::spawn(async move { app.stop().await });
    let refused = async {
        loop {
            if tokio::net::TcpStream::connect(&address).await.is_err() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), refused)
        .await
        .expect("new connections are refused once shutdown begins");
    in_flight.write_all(rest).await.unwrap();
    let mut response = String::new();
    in_flight.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("submitApplication"), "{response}");
    stopping.await.unwrap().expect("the server stops cleanly");
}

db_tests!(
    healthz_reports_database_state,
    database_failures_are_masked_as_internal,
    graceful_shutdown_completes,
);
