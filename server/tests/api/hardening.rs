use serde_json::json;

use crate::helpers::{Backend, TestApp, assert_error};

const INTROSPECTION: &str = "{ __schema { queryType { name } } }";

async fn production_turns_off_introspection_and_graphiql(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("APP_ENV", "production")]).await;
    // Refused outright, also when hidden in a fragment; nothing of the schema leaks.
    for query in [
        INTROSPECTION,
        "{ __type(name: \"Service\") { fields { name } } }",
        "query { ...F } fragment F on Query { ... on Query { __schema { types { name } } } }",
    ] {
        let body = app.gql(query, json!({})).await;
        assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
        assert!(body["data"].is_null(), "{query}: {body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("Introspection is disabled")),
            "{body}"
        );
    }
    // `__typename` is not introspection: clients add it everywhere.
    let body = app.gql("{ __typename adminExists }", json!({})).await;
    assert_eq!(body["data"]["__typename"], "Query", "{body}");
    for path in [
        "/graphiql",
        "/graphiql/assets/graphiql.min.js",
        "/",
        "/admin/",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(
            response.status(),
            404,
            "{path} must not be served in production"
        );
    }
    // The API itself works.
    let body = app.gql("{ services { id } adminExists }", json!({})).await;
    assert_eq!(body["data"]["adminExists"], false, "{body}");
}

async fn development_serves_graphiql_from_this_machine(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = app.gql(INTROSPECTION, json!({})).await;
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");

    let page = app.client.get(app.url("/graphiql")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let scripts: Vec<&str> = html
        .split("src=\"")
        .skip(1)
        .chain(html.split("href=\"").skip(1))
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(scripts.len() >= 5, "{html}");
    for src in scripts {
        assert!(
            src.starts_with("/graphiql/assets/"),
            "asset {src} is not served locally"
        );
        let asset = app.client.get(app.url(src)).send().await.unwrap();
        assert_eq!(asset.status(), 200, "{src} (run `make graphiql`)");
        assert!(asset.bytes().await.unwrap().len() > 100, "{src} is empty");
    }
}

async fn depth_and_complexity_are_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut deep = String::from("{ __schema { types { fields { type { ");
    deep.push_str(&"ofType { ".repeat(14));
    deep.push_str("name");
    deep.push_str(&" }".repeat(18));
    deep.push_str(" }");
    let body = app.gql(&deep, json!({})).await;
    assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("deep"),
        "{body}"
    );

    // Repeated fields merge without aliases: cheap to send, each one still counted.
    let wide = "adminExists ".repeat(1100);
    let body = app.gql(&format!("{{ {wide} }}"), json!({})).await;
    assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("complex"),
        "{body}"
    );
}

async fn oversized_bodies_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let padding = "x".repeat(300 * 1024);
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({"query": "{ adminExists }", "variables": {"pad": padding}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

async fn malformed_requests_get_clear_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = app.gql("{ noSuchField }", json!({})).await;
    assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
    let body = app.gql("{ services { id ", json!({})).await;
    assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
    let body = app
        .gql(
            "mutation($e: String!) { login(email: $e, password: \"x\") { token } }",
            json!({"e": 5}),
        )
        .await;
    assert!(
        body["errors"][0]["extensions"]["code"].is_string(),
        "{body}"
    );

    let not_json = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 400);

    // Operations only by POST: GET is for the WebSocket upgrade.
    let get = app
        .client
        .get(app.url("/graphql?query={adminExists}"))
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
}

db_tests!(
    production_turns_off_introspection_and_graphiql,
    development_serves_graphiql_from_this_machine,
    depth_and_complexity_are_limited,
    oversized_bodies_are_refused,
    malformed_requests_get_clear_errors,
);
