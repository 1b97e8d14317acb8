use serde_json::json;

use sea_orm::ConnectionTrait;

use crate::helpers::{Backend, TestApp, TestDb, assert_error, names};

const UPDATE: &str = "mutation($id: ID!, $i: ServiceInput!) { updateService(id: $id, input: $i) { id name description createdAt updatedAt } }";
const DELETE: &str = "mutation($id: ID!) { deleteService(id: $id) }";

async fn admins_manage_services_and_everyone_reads_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;

    let created = app
        .create_service(&token, "  Разработка сайта ", Some("Под ключ"))
        .await;
    let site = &created["data"]["createService"];
    assert_eq!(site["name"], "Разработка сайта", "{created}");
    assert_eq!(site["description"], "Под ключ");
    assert_eq!(site["createdAt"], site["updatedAt"]);
    app.create_service(&token, "audit", None).await;
    app.create_service(&token, "Branding", Some("   ")).await;

    // Public, in the order they were made: a new one goes last (`moveService` reorders).
    assert_eq!(
        app.service_names().await,
        ["Разработка сайта", "audit", "Branding"]
    );

    let id = site["id"].as_str().unwrap();
    let updated = app
        .gql_as(
            &token,
            UPDATE,
            json!({"id": id, "i": {"name": "Лендинг", "description": null}}),
        )
        .await;
    let service = &updated["data"]["updateService"];
    assert_eq!(service["name"], "Лендинг", "{updated}");
    assert!(service["description"].is_null());
    assert_eq!(service["createdAt"], site["createdAt"]);
    assert_ne!(service["updatedAt"], site["updatedAt"]);

    let deleted = app.gql_as(&token, DELETE, json!({"id": id})).await;
    assert_eq!(deleted["data"]["deleteService"], id);
    assert_eq!(app.service_names().await, ["audit", "Branding"]);
}

async fn service_input_is_validated_and_nothing_changes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let existing = app.create_service(&token, "SEO", None).await;
    let id = existing["data"]["createService"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let long_name = "я".repeat(256);
    // 200 characters, but 400 once lower-cased ("İ" → "i̇"): too long for the unique key.
    let growing_name = "İ".repeat(200);
    let long_description = "d".repeat(5001);
    for (name, description, field) in [
        ("   ", None, "name"),
        (long_name.as_str(), None, "name"),
        (growing_name.as_str(), None, "name"),
        ("Ok", Some(long_description.as_str()), "description"),
        ("seo", None, "name"), // same name, other case
    ] {
        let body = app.create_service(&token, name, description).await;
        assert_error(&body, "BAD_USER_INPUT", Some(field));
        let body = app
            .gql_as(&token, UPDATE, json!({"id": "00000000-0000-0000-0000-000000000000", "i": {"name": name, "description": description}}))
            .await;
        assert!(body["errors"].is_array(), "{body}");
    }
    assert_eq!(app.service_names().await, ["SEO"]);

    let second = app.create_service(&token, "SMM", None).await;
    let second_id = second["data"]["createService"]["id"].as_str().unwrap();
    let clash = app
        .gql_as(
            &token,
            UPDATE,
            json!({"id": second_id, "i": {"name": "seo"}}),
        )
        .await;
    assert_error(&clash, "BAD_USER_INPUT", Some("name"));
    assert_eq!(app.service_names().await, ["SEO", "SMM"]);

    // Renaming a service to its own name in another case is fine.
    let recase = app
        .gql_as(&token, UPDATE, json!({"id": id, "i": {"name": "Seo"}}))
        .await;
    assert_eq!(recase["data"]["updateService"]["name"], "Seo", "{recase}");
}

async fn unknown_and_malformed_ids(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let missing = "0190a000-0000-7000-8000-000000000000";
    let body = app
        .gql_as(&token, UPDATE, json!({"id": missing, "i": {"name": "X"}}))
        .await;
    assert_error(&body, "NOT_FOUND", None);
    let body = app.gql_as(&token, DELETE, json!({"id": missing})).await;
    assert_error(&body, "NOT_FOUND", None);
    let body = app.gql_as(&token, DELETE, json!({"id": "42"})).await;
    assert_error(&body, "BAD_USER_INPUT", Some("id"));
    assert_eq!(app.count("services").await, 0);
}

async fn service_changes_need_an_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let created = app.create_service(&token, "SEO", None).await;
    let id = created["data"]["createService"]["id"].as_str().unwrap();

    let anonymous = app
        .gql(
            "mutation { createService(input: {name: \"Spam\"}) { id } }",
            json!({}),
        )
        .await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    let anonymous = app.gql(DELETE, json!({"id": id})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    let anonymous = app
        .gql(UPDATE, json!({"id": id, "i": {"name": "Hacked"}}))
        .await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    assert_eq!(app.service_names().await, ["SEO"]);
}

async fn services_changed_streams_the_full_list(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut ws = app
        .ws_connect(json!({}))
        .await
        .expect("public subscription connects");
    ws.subscribe("1", "subscription { servicesChanged { id name } }")
        .await;
    app.until_subscribed(1).await;

    // Each change is heard before the next is made: on PostgreSQL an event comes back through
    // NOTIFY a moment after its commit, so a change made before subscribing could still arrive
    // after it and be taken for the next one.
    app.create_service(&token, "Audit", None).await;
    let message = ws.next_json().await.expect("servicesChanged arrives");
    assert_eq!(message["type"], "next", "{message}");
    assert_eq!(
        names(&message["payload"]["data"]["servicesChanged"]),
        ["Audit"]
    );

    // Every message holds the whole list, not just what changed.
    app.create_service(&token, "Branding", None).await;
    let message = ws.next_json().await.expect("servicesChanged arrives");
    let list = message["payload"]["data"]["servicesChanged"].clone();
    assert_eq!(names(&list), ["Audit", "Branding"]);

    // A delete shows up as a shorter list.
    let audit_id = list[0]["id"].as_str().unwrap().to_owned();
    app.gql_as(&token, DELETE, json!({"id": audit_id})).await;
    let message = ws.next_json().await.expect("a message after the delete");
    let after = names(&message["payload"]["data"]["servicesChanged"]);
    assert!(!after.contains(&"Audit".to_owned()), "{after:?}");
    assert_eq!(after, app.service_names().await);
}

async fn one_connection_keeps_a_bounded_number_of_operations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut ws = app.ws_connect(json!({})).await.expect("connects");
    const QUERY: &str = "subscription { servicesChanged { id } }";
    for id in 0..20 {
        ws.subscribe(&id.to_string(), QUERY).await;
    }
    ws.subscribe("20", QUERY).await;
    let refused = ws.next_json().await.expect("an answer to the 21st");
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "20", "{refused}");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"], "RATE_LIMITED",
        "{refused}"
    );

    // One ends, another may start; the connection and the others go on. Each step is waited
    // for on its own (twenty live, the ended one let go, the new one registered): then one
    // change reaches each live one once.
    app.until_subscribed(20).await;
    ws.complete("0").await;
    app.until_subscribed(19).await;
    ws.subscribe("21", QUERY).await;
    app.until_subscribed(20).await;
    app.create_service(&token, "Audit", None).await;
    let expected: std::collections::BTreeSet<u32> = (1..=19).chain([21]).collect();
    let mut delivered = std::collections::BTreeSet::new();
    while delivered.len() < expected.len() {
        let message = ws.next_json().await.expect("every live subscription hears");
        if message == json!({"type": "complete", "id": "0"}) {
            continue; // the server confirms the one the client ended
        }
        assert_eq!(message["type"], "next", "{message}");
        let id = message["id"].as_str().unwrap().parse::<u32>().unwrap();
        assert!(delivered.insert(id), "subscription {id} heard twice");
    }
    // Exactly the live ones: never the ended one, never the refused one.
    assert_eq!(delivered, expected);
}

async fn a_bad_token_refuses_the_websocket(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let refused = app
        .ws_connect(json!({"Authorization": "Bearer forged.token.value"}))
        .await;
    assert!(
        refused.is_err(),
        "a forged token must not get connection_ack"
    );
    let token = app.admin_token().await;
    let accepted = app
        .ws_connect(json!({"Authorization": format!("Bearer {token}")}))
        .await;
    assert!(accepted.is_ok(), "{:?}", accepted.err());
}

db_tests!(
    admins_manage_services_and_everyone_reads_them,
    service_input_is_validated_and_nothing_changes,
    unknown_and_malformed_ids,
    service_changes_need_an_admin,
    services_changed_streams_the_full_list,
    a_bad_token_refuses_the_websocket,
    one_connection_keeps_a_bounded_number_of_operations,
);

async fn services_carry_an_optional_from_price(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    const CREATE: &str =
        "mutation($i: ServiceInput!) { createService(input: $i) { id name priceFrom } }";
    let created = app
        .gql_as(
            &token,
            CREATE,
            json!({"i": {"name": "SEO", "priceFrom": 35000}}),
        )
        .await;
    assert_eq!(
        created["data"]["createService"]["priceFrom"], 35000,
        "{created}"
    );
    for bad in [-1, 1_000_000_001] {
        let body = app
            .gql_as(
                &token,
                CREATE,
                json!({"i": {"name": "Ads", "priceFrom": bad}}),
            )
            .await;
        assert_error(&body, "BAD_USER_INPUT", Some("priceFrom"));
    }
    let listed = app.gql("{ services { name priceFrom } }", json!({})).await;
    assert_eq!(
        listed["data"]["services"],
        json!([{"name": "SEO", "priceFrom": 35000}])
    );
    // Updating without a price clears it.
    let id = created["data"]["createService"]["id"].as_str().unwrap();
    let updated = app
        .gql_as(&token, UPDATE, json!({"id": id, "i": {"name": "SEO"}}))
        .await;
    assert!(
        updated["data"]["updateService"]["name"].is_string(),
        "{updated}"
    );
    let listed = app.gql("{ services { priceFrom } }", json!({})).await;
    assert!(
        listed["data"]["services"][0]["priceFrom"].is_null(),
        "{listed}"
    );
}

db_tests!(services_carry_an_optional_from_price);

const SET_HIDDEN: &str =
    "mutation($id: ID!, $h: Boolean!) { setServiceHidden(id: $id, hidden: $h) { id name hidden } }";
const ALL: &str = "{ services(includeHidden: true) { name hidden } }";

async fn a_hidden_service_leaves_the_form_and_stays_with_the_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    app.create_service(&token, "SEO", None).await;
    let created = app.create_service(&token, "Аудит", None).await;
    let audit = created["data"]["createService"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let visit = uuid::Uuid::new_v4().to_string();
    let order = json!({"serviceId": audit, "visitId": visit});
    let ordered = app.submit_ok(order.clone()).await;

    let mut ws = app.ws_connect(json!({})).await.expect("connects");
    ws.subscribe("1", "subscription { servicesChanged { name } }")
        .await;
    app.until_subscribed(1).await;

    let hidden = app
        .gql_as(&token, SET_HIDDEN, json!({"id": audit, "h": true}))
        .await;
    assert_eq!(
        hidden["data"]["setServiceHidden"],
        json!({"id": audit, "name": "Аудит", "hidden": true}),
        "{hidden}"
    );
    // Gone from the form, live on open pages too; the admin still has it.
    assert_eq!(app.service_names().await, ["SEO"]);
    let message = ws.next_json().await.expect("servicesChanged arrives");
    assert_eq!(
        names(&message["payload"]["data"]["servicesChanged"]),
        ["SEO"],
        "{message}"
    );
    let all = app.gql_as(&token, ALL, json!({})).await;
    assert_eq!(
        all["data"]["services"],
        json!([{"name": "SEO", "hidden": false}, {"name": "Аудит", "hidden": true}]),
        "{all}"
    );

    // It cannot be ordered, and the refusal stores nothing.
    let refused = app
        .submit(json!({"serviceId": audit, "email": "other@example.com"}))
        .await;
    assert_error(&refused, "BAD_USER_INPUT", Some("serviceId"));
    assert_eq!(refused["errors"][0]["extensions"]["reason"], "UNAVAILABLE");
    assert_eq!(app.count("applications").await, 1);
    // But the order sent before it was hidden, sent again (its answer lost), gets its receipt.
    assert_eq!(app.submit_ok(order).await, ordered);
    assert_eq!(app.count("applications").await, 1);

    // Editing the hidden service changes nothing on the form, yet open pages hear of it: the
    // admin's screen takes each message as its cue to ask for the whole list again.
    app.gql_as(
        &token,
        UPDATE,
        json!({"id": audit, "i": {"name": "Аудит сайта"}}),
    )
    .await;
    let message = ws.next_json().await.expect("servicesChanged arrives");
    assert_eq!(
        names(&message["payload"]["data"]["servicesChanged"]),
        ["SEO"],
        "{message}"
    );

    // The order sent before keeps it, on its card and in the list.
    let lead = app
        .gql_as(
            &token,
            "query($id: ID!) { lead(id: $id) { serviceName service { name hidden } } }",
            json!({"id": ordered}),
        )
        .await;
    let kept = json!({"serviceName": "Аудит", "service": {"name": "Аудит сайта", "hidden": true}});
    assert_eq!(lead["data"]["lead"], kept, "{lead}");
    let page = app
        .gql_as(
            &token,
            "{ leads(first: 5) { nodes { serviceName service { name hidden } } } }",
            json!({}),
        )
        .await;
    assert_eq!(page["data"]["leads"]["nodes"], json!([kept]), "{page}");

    // Put back: on the form again, and orderable.
    app.gql_as(&token, SET_HIDDEN, json!({"id": audit, "h": false}))
        .await;
    assert_eq!(app.service_names().await, ["SEO", "Аудит сайта"]);
    let message = ws.next_json().await.expect("servicesChanged arrives");
    assert_eq!(
        names(&message["payload"]["data"]["servicesChanged"]),
        ["SEO", "Аудит сайта"]
    );
    app.submit_ok(json!({"serviceId": audit, "email": "other@example.com"}))
        .await;
}

async fn hiding_needs_an_admin_and_a_service(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let created = app.create_service(&token, "SEO", None).await;
    let id = created["data"]["createService"]["id"].as_str().unwrap();

    let anonymous = app.gql(SET_HIDDEN, json!({"id": id, "h": true})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    let anonymous = app.gql(ALL, json!({})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    let missing = "0190a000-0000-7000-8000-000000000000";
    let body = app
        .gql_as(&token, SET_HIDDEN, json!({"id": missing, "h": true}))
        .await;
    assert_error(&body, "NOT_FOUND", None);
    let body = app
        .gql_as(&token, SET_HIDDEN, json!({"id": "42", "h": true}))
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("id"));
    assert_eq!(app.service_names().await, ["SEO"]);
    assert_eq!(app.count("services").await, 1);
}

/// Demo orders choose among the services on offer: with one of two hidden every order names
/// the other; with both hidden the seeder stores nothing and says why.
async fn demo_orders_skip_hidden_services(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut ids = Vec::new();
    for name in ["Аудит", "SEO"] {
        let created = app.create_service(&token, name, None).await;
        ids.push(
            created["data"]["createService"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    app.gql_as(&token, SET_HIDDEN, json!({"id": ids[1], "h": true}))
        .await;
    app.gql_as(&token, SET_HIDDEN, json!({"id": ids[0], "h": true}))
        .await;
    let refused = server::demo::seed(&app.db, chrono_tz::UTC).await;
    assert!(
        matches!(&refused, Err(server::error::AppError::Forbidden(why)) if why.contains("hidden")),
        "{refused:?}"
    );
    assert_eq!(app.count("applications").await, 0);

    app.gql_as(&token, SET_HIDDEN, json!({"id": ids[0], "h": false}))
        .await;
    let report = server::demo::seed(&app.db, chrono_tz::UTC).await.unwrap();
    assert_eq!(report.services, 1);
    let body = app
        .gql_as(
            &token,
            "{ leads(first: 200) { nodes { serviceName } } }",
            json!({}),
        )
        .await;
    let nodes = body["data"]["leads"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), server::demo::DEMO_ORDERS, "{body}");
    assert!(nodes.iter().all(|n| n["serviceName"] == "Аудит"), "{body}");
}

/// Services made before hiding and ordering existed stay on the form, in the order they had
/// (by name); a new one goes after them.
async fn services_made_before_stay_offered_in_their_order(backend: Backend) {
    let (test_db, db) = TestDb::migrated_until(backend, "m20261209_000035_service_hidden").await;
    let backend = db.get_database_backend();
    let at = chrono::Utc::now();
    for (name, key) in [("SEO", "seo"), ("Branding", "branding"), ("Аудит", "аудит")] {
        let values = match backend {
            sea_orm::DbBackend::Postgres => "$1, $2, $3, $4, $4",
            _ => "?, ?, ?, ?, ?",
        };
        let sql = format!(
            "INSERT INTO services (id, name, name_key, created_at, updated_at) VALUES ({values})"
        );
        let mut params: Vec<sea_orm::Value> = vec![
            uuid::Uuid::now_v7().into(),
            name.into(),
            key.into(),
            at.into(),
        ];
        if backend != sea_orm::DbBackend::Postgres {
            params.push(at.into());
        }
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend, sql, params,
        ))
        .await
        .expect("a service as it was");
    }
    let _ = db.close().await;
    let app = TestApp::spawn_with_db(test_db).await;
    let token = app.admin_token().await;
    assert_eq!(app.service_names().await, ["Branding", "SEO", "Аудит"]);
    assert_eq!(positions(&app).await, [0, 1, 2]);
    app.create_service(&token, "Ads", None).await;
    let all = app.gql_as(&token, ALL, json!({})).await;
    assert_eq!(
        all["data"]["services"],
        json!([
            {"name": "Branding", "hidden": false},
            {"name": "SEO", "hidden": false},
            {"name": "Аудит", "hidden": false},
            {"name": "Ads", "hidden": false},
        ]),
        "{all}"
    );
}

const MOVE: &str =
    "mutation($id: ID!, $d: MoveDirection!) { moveService(id: $id, direction: $d) { name } }";

/// The services' positions as stored, in order: a permutation of 0..n after any moves.
async fn positions(app: &TestApp) -> Vec<i64> {
    let rows = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT position FROM services ORDER BY position",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get::<i32>("", "position").unwrap().into())
        .collect()
}

async fn the_business_orders_its_services(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut ids = std::collections::HashMap::new();
    for name in ["Сайт", "SEO", "Аудит"] {
        let created = app.create_service(&token, name, None).await;
        ids.insert(
            name,
            created["data"]["createService"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let mut ws = app.ws_connect(json!({})).await.expect("connects");
    ws.subscribe("1", "subscription { servicesChanged { name } }")
        .await;
    app.until_subscribed(1).await;
    let mv = async |name: &str, direction: &str| {
        app.gql_as(&token, MOVE, json!({"id": ids[name], "d": direction}))
            .await
    };

    let moved = mv("Аудит", "UP").await;
    assert_eq!(
        names(&moved["data"]["moveService"]),
        ["Сайт", "Аудит", "SEO"],
        "{moved}"
    );
    assert_eq!(app.service_names().await, ["Сайт", "Аудит", "SEO"]);
    let message = ws.next_json().await.expect("servicesChanged arrives");
    assert_eq!(
        names(&message["payload"]["data"]["servicesChanged"]),
        ["Сайт", "Аудит", "SEO"]
    );

    // At either end a service stays (the next message shows the next real move).
    let top = mv("Сайт", "UP").await;
    assert_eq!(names(&top["data"]["moveService"]), ["Сайт", "Аудит", "SEO"]);
    let bottom = mv("SEO", "DOWN").await;
    assert_eq!(
        names(&bottom["data"]["moveService"]),
        ["Сайт", "Аудит", "SEO"]
    );
    mv("Сайт", "DOWN").await;
    let message = ws.next_json().await.expect("servicesChanged arrives");
    assert_eq!(
        names(&message["payload"]["data"]["servicesChanged"]),
        ["Аудит", "Сайт", "SEO"]
    );

    // A hidden service keeps its place among the admin's, off the page; a new one goes last.
    app.gql_as(&token, SET_HIDDEN, json!({"id": ids["Сайт"], "h": true}))
        .await;
    assert_eq!(app.service_names().await, ["Аудит", "SEO"]);
    let moved = mv("SEO", "UP").await;
    assert_eq!(
        names(&moved["data"]["moveService"]),
        ["Аудит", "SEO", "Сайт"]
    );
    app.create_service(&token, "Ads", None).await;
    let all = app.gql_as(&token, ALL, json!({})).await;
    assert_eq!(
        names(&all["data"]["services"]),
        ["Аудит", "SEO", "Сайт", "Ads"]
    );
    assert_eq!(positions(&app).await, [0, 1, 2, 3]);

    // Moves racing each other, from tied positions (as two services made at once leave them):
    // each is applied or refused whole, never half, and the positions end distinct.
    app.db
        .execute_unprepared("UPDATE services SET position = 0")
        .await
        .unwrap();
    let all_ids: Vec<String> = ids.values().cloned().collect();
    let answers = futures_util::future::join_all((0..12).map(|i| {
        let direction = if i % 2 == 0 { "UP" } else { "DOWN" };
        app.gql_as(
            &token,
            MOVE,
            json!({"id": all_ids[i % all_ids.len()], "d": direction}),
        )
    }))
    .await;
    for answer in &answers {
        if answer["errors"].is_array() {
            assert_error(answer, "BAD_USER_INPUT", Some("id"));
            assert_eq!(answer["errors"][0]["extensions"]["reason"], "CHANGED");
        }
    }
    assert_eq!(positions(&app).await, [0, 1, 2, 3]);
    let mut after = names(&app.gql_as(&token, ALL, json!({})).await["data"]["services"]);
    after.sort();
    assert_eq!(after, ["Ads", "SEO", "Аудит", "Сайт"]);
}

async fn moving_needs_an_admin_and_a_service(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let created = app.create_service(&token, "SEO", None).await;
    let id = created["data"]["createService"]["id"].as_str().unwrap();
    app.create_service(&token, "Ads", None).await;

    let anonymous = app.gql(MOVE, json!({"id": id, "d": "DOWN"})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    let missing = "0190a000-0000-7000-8000-000000000000";
    let body = app
        .gql_as(&token, MOVE, json!({"id": missing, "d": "DOWN"}))
        .await;
    assert_error(&body, "NOT_FOUND", None);
    let body = app
        .gql_as(&token, MOVE, json!({"id": "42", "d": "DOWN"}))
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("id"));
    let body = app
        .gql_as(&token, MOVE, json!({"id": id, "d": "LEFT"}))
        .await;
    assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);
    assert_eq!(app.service_names().await, ["SEO", "Ads"]);
}

db_tests!(
    services_made_before_stay_offered_in_their_order,
    the_business_orders_its_services,
    moving_needs_an_admin_and_a_service,
    a_hidden_service_leaves_the_form_and_stays_with_the_admin,
    hiding_needs_an_admin_and_a_service,
    demo_orders_skip_hidden_services,
);
