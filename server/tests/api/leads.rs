use std::time::Duration;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use server::{
    db::WriteTurns,
    leads::{LeadText, intake, search_index},
};

use crate::helpers::{Backend, TestApp, TestDb, assert_error};

const LIST: &str = "query($first: Int, $after: String, $filter: LeadFilter) {
  leads(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id } }
    nodes { id name surname score priority status scoreBreakdown { budget companySize urgency }
            serviceName service { id name } createdAt firstResponseAt lostReason }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

const SET_STATUS: &str = "mutation($id: ID!, $s: LeadStatus!, $r: String) {
  updateLeadStatus(id: $id, status: $s, lostReason: $r) { id status lostReason firstResponseAt }
}";

async fn list(app: &TestApp, token: &str, vars: Value) -> Value {
    let body = app.gql_as(token, LIST, vars).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["leads"].clone()
}

fn ids(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Sets a lead's creation time directly (the API never lets anyone do that).
async fn set_created_at(app: &TestApp, id: &str, at: &str) {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "UPDATE applications SET created_at = $1::timestamptz WHERE id = $2::uuid"
        }
        _ => "UPDATE applications SET created_at = ? WHERE id = ?",
    };
    let when: chrono::DateTime<chrono::Utc> = at.parse().unwrap();
    let id: uuid::Uuid = id.parse().unwrap();
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [when.into(), id.into()],
        ))
        .await
        .unwrap();
}

const HOT: fn() -> Value =
    || json!({"budget": "от 5 млн ₽", "companySize": "500+", "deadline": "1 неделя"});
const WARM: fn() -> Value =
    || json!({"budget": "1–5 млн ₽", "companySize": "50–100", "deadline": "1 месяц"});
const COLD: fn() -> Value =
    || json!({"budget": "до 500 тыс. ₽", "companySize": "до 50", "deadline": "3 месяца и более"});

async fn orders_are_scored_and_ranked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let cold = app.submit_ok(COLD()).await;
    let hot = app.submit_ok(HOT()).await;
    let warm = app.submit_ok(WARM()).await;
    let urgent_words = app
        .submit_ok(json!({"budget": "до 500 тыс. ₽", "additionalComments": "СРОЧНО! горит"}))
        .await;

    let page = list(&app, &token, json!({})).await;
    assert_eq!(page["totalCount"], 4);
    assert_eq!(ids(&page), [hot.clone(), warm, urgent_words, cold]);
    let top = &page["nodes"][0];
    assert_eq!(top["score"], 100);
    assert_eq!(top["priority"], "URGENT");
    assert_eq!(top["status"], "NEW");
    assert_eq!(
        top["scoreBreakdown"],
        json!({"budget": 40, "companySize": 30, "urgency": 30})
    );
    let warm = &page["nodes"][1];
    assert_eq!(warm["score"], 60);
    assert_eq!(warm["priority"], "MEDIUM");
    let urgent = &page["nodes"][2];
    assert_eq!(
        urgent["scoreBreakdown"],
        json!({"budget": 10, "companySize": 5, "urgency": 30})
    );
    assert_eq!(urgent["priority"], "LOW");
    assert_eq!(page["nodes"][3]["score"], 20);

    // The visitor never learns the score.
    let body = app
        .gql(
            "mutation { submitApplication(input: {name: \"A\", surname: \"B\", email: \"a@b.co\", consent: true}) { id score } }",
            json!({}),
        )
        .await;
    assert_error(&body, "GRAPHQL_VALIDATION_FAILED", None);

    let one = app
        .gql_as(
            &token,
            "query($id: ID!) { lead(id: $id) { id email score } }",
            json!({"id": hot}),
        )
        .await;
    assert_eq!(one["data"]["lead"]["email"], "ivan@example.com");
    let none = app
        .gql_as(
            &token,
            "query($id: ID!) { lead(id: $id) { id } }",
            json!({"id": uuid::Uuid::now_v7().to_string()}),
        )
        .await;
    assert!(none["data"]["lead"].is_null(), "{none}");
}

async fn bad_orders_name_the_field_and_store_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let long = |n: usize| "я".repeat(n);
    let missing_service = uuid::Uuid::now_v7().to_string();
    for (fields, field) in [
        (json!({"name": "   "}), "name"),
        (json!({"name": long(101)}), "name"),
        (json!({"surname": ""}), "surname"),
        (json!({"patronymic": long(101)}), "patronymic"),
        (json!({"email": "not-an-email"}), "email"),
        (
            json!({"email": format!("{}@example.com", long(250))}),
            "email",
        ),
        (json!({"phone": "звоните"}), "phone"),
        (json!({"phone": "+7 999 123 45 67 890 12"}), "phone"),
        (json!({"serviceId": missing_service}), "serviceId"),
        (json!({"serviceId": "12"}), "serviceId"),
        (json!({"businessInfo": long(5001)}), "businessInfo"),
        (json!({"businessNiche": long(101)}), "businessNiche"),
        (json!({"companySize": long(51)}), "companySize"),
        (json!({"budget": long(101)}), "budget"),
        (json!({"deadline": long(101)}), "deadline"),
        (json!({"convenientTime": long(101)}), "convenientTime"),
        (
            json!({"preferredContactMethod": long(51)}),
            "preferredContactMethod",
        ),
        (
            json!({"additionalComments": long(5001)}),
            "additionalComments",
        ),
        (json!({"visitId": "not-a-uuid"}), "visitId"),
        // PostgreSQL refuses NUL in text: it must be the visitor's error, not an internal one.
        (json!({"name": "Ан\u{0}на"}), "name"),
        (
            json!({"additionalComments": "a\u{0}"}),
            "additionalComments",
        ),
    ] {
        let body = app.submit(fields.clone()).await;
        assert_eq!(
            body["errors"][0]["extensions"]["field"],
            field,
            "{}: {body}",
            fields.to_string().chars().take(80).collect::<String>()
        );
        assert_error(&body, "BAD_USER_INPUT", Some(field));
    }
    assert_eq!(app.count("applications").await, 0);
}

/// Contact by phone, WhatsApp or Telegram needs the phone: without one the order is refused on
/// `phone` (REQUIRED) and nothing is stored; with one, or by e-mail, it is taken.
async fn a_contact_method_by_phone_needs_the_phone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for method in ["contact_phone", "contact_whatsapp", "contact_telegram"] {
        for phone in [None, Some(""), Some("  ")] {
            let mut fields = json!({"preferredContactMethod": method});
            if let Some(phone) = phone {
                fields["phone"] = json!(phone);
            }
            let body = app.submit(fields).await;
            assert_error(&body, "BAD_USER_INPUT", Some("phone"));
            assert_eq!(
                body["errors"][0]["extensions"]["reason"], "REQUIRED",
                "{method}, phone {phone:?}: {body}"
            );
        }
    }
    assert_eq!(app.count("applications").await, 0);
    for (i, method) in ["contact_phone", "contact_whatsapp", "contact_telegram"]
        .into_iter()
        .enumerate()
    {
        app.submit_ok(json!({
            "email": format!("phone{i}@example.com"),
            "preferredContactMethod": method,
            "phone": "+7 (912) 555-01-68",
        }))
        .await;
    }
    app.submit_ok(json!({"email": "mail@example.com", "preferredContactMethod": "contact_email"}))
        .await;
    assert_eq!(app.count("applications").await, 4);
}

/// A phone with letters is refused for them even when it is also too long: cutting it to the
/// limit would not make it a phone.
async fn a_phone_names_its_letters_before_its_length(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = app
        .submit(json!({"phone": "+7 (912) 555-01-68 доб. 3"}))
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("phone"));
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], "INVALID_PHONE",
        "{body}"
    );
    let body = app
        .submit(json!({"phone": "+7 (912) 555-01-68 00 11"}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], "TOO_LONG",
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["max"], 20, "{body}");
    assert_eq!(app.count("applications").await, 0);
}

async fn spam_looks_accepted_but_is_not_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let honeypot = app.submit(json!({"website": "http://spam.example"})).await;
    assert!(
        honeypot["data"]["submitApplication"]["id"].is_string(),
        "{honeypot}"
    );
    assert_eq!(app.count("applications").await, 0);

    let visit = uuid::Uuid::new_v4().to_string();
    let order = json!({"visitId": visit, "budget": "1 млн"});
    let first = app.submit_ok(order.clone()).await;
    let again = app.submit_ok(order.clone()).await;
    assert_eq!(
        first, again,
        "the duplicate answers with the original order"
    );
    assert_eq!(app.count("applications").await, 1);

    // Concurrent double submits from another visit: exactly one is stored.
    let other = json!({"visitId": uuid::Uuid::new_v4().to_string(), "budget": "2 млн"});
    let answers =
        futures_util::future::join_all((0..8).map(|_| app.submit_ok(other.clone()))).await;
    assert!(answers.iter().all(|id| id == &answers[0]), "{answers:?}");
    assert_eq!(app.count("applications").await, 2);

    // Different content from the same visit, or the same content without a visit, is a new order.
    app.submit_ok(json!({"visitId": visit, "budget": "3 млн"}))
        .await;
    app.submit_ok(json!({"budget": "1 млн"})).await;
    app.submit_ok(json!({"budget": "1 млн"})).await;
    assert_eq!(app.count("applications").await, 5);
    let page = list(&app, &token, json!({})).await;
    assert_eq!(page["totalCount"], 5);
}

async fn orders_are_rate_limited_per_client(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("RATE_LIMIT_ORDERS_PER_MINUTE", "3")]).await;
    for i in 0..3 {
        app.submit_ok(json!({"email": format!("c{i}@example.com")}))
            .await;
    }
    let limited = app.submit(json!({"email": "c4@example.com"})).await;
    assert_error(&limited, "RATE_LIMITED", None);
    assert_eq!(app.count("applications").await, 3);
}

async fn keyset_pages_are_stable_across_inserts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    for i in 0..7 {
        let profile = [HOT(), WARM(), COLD()][i % 3].clone();
        let mut fields = profile;
        fields["email"] = json!(format!("p{i}@example.com"));
        app.submit_ok(fields).await;
    }
    let everything = ids(&list(&app, &token, json!({"first": 50})).await);
    assert_eq!(everything.len(), 7);

    let first = list(&app, &token, json!({"first": 3})).await;
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(first["edges"][2]["cursor"], first["pageInfo"]["endCursor"]);
    // A new hot lead arrives while the admin reads: later pages neither repeat nor skip.
    let newcomer = app.submit_ok(json!({"budget": "10 млн", "companySize": "1000", "deadline": "срочно", "email": "new@example.com"})).await;
    let mut seen = ids(&first);
    let mut after = first["pageInfo"]["endCursor"].clone();
    loop {
        let page = list(&app, &token, json!({"first": 3, "after": after})).await;
        assert_eq!(page["pageInfo"]["hasPreviousPage"], true);
        seen.extend(ids(&page));
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, everything);
    assert_eq!(
        ids(&list(&app, &token, json!({"first": 1})).await),
        [newcomer]
    );

    for (vars, field) in [
        (json!({"first": 0}), "first"),
        (json!({"first": 201}), "first"),
        (json!({"after": "garbage"}), "after"),
        // Well-formed, but from the year −5000: refused before it reaches the database.
        (
            json!({"after": "ODV8LTIxOTkwMDAwMDAwMDAwMDAwMHwwMTkwYzNkMi03YjdlLTdjM2EtOWE1NS0xZjJlM2Q0YzViNmE"}),
            "after",
        ),
    ] {
        let body = app.gql_as(&token, LIST, vars).await;
        assert_error(&body, "BAD_USER_INPUT", Some(field));
    }
}

async fn ties_go_newest_first_then_by_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let a = app.submit_ok(json!({"email": "a@example.com"})).await;
    let b = app.submit_ok(json!({"email": "b@example.com"})).await;
    let c = app.submit_ok(json!({"email": "c@example.com"})).await;
    // Same score for all; a is the newest; b and c share a timestamp, so the id decides.
    set_created_at(&app, &a, "2026-11-20T10:00:00.000002Z").await;
    set_created_at(&app, &b, "2026-11-20T10:00:00.000001Z").await;
    set_created_at(&app, &c, "2026-11-20T10:00:00.000001Z").await;
    let (high, low) = if b > c { (b, c) } else { (c, b) };
    let expected = [a, high, low];
    assert_eq!(ids(&list(&app, &token, json!({})).await), expected);
    // And one row per page walks the same order through the cursors.
    let mut walked = Vec::new();
    let mut after = Value::Null;
    for _ in 0..3 {
        let page = list(&app, &token, json!({"first": 1, "after": after})).await;
        walked.extend(ids(&page));
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(walked, expected);
}

async fn filters_and_search(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let site =
        app.create_service(&token, "Сайт", None).await["data"]["createService"]["id"].clone();
    let seo = app.create_service(&token, "SEO", None).await["data"]["createService"]["id"].clone();
    let mut hot = HOT();
    hot["serviceId"] = site.clone();
    hot["name"] = json!("ИВАН");
    hot["surname"] = json!("Грозный");
    hot["phone"] = json!("+7 (999) 123-45-67");
    let hot = app.submit_ok(hot).await;
    let mut warm = WARM();
    warm["name"] = json!("Ольга");
    warm["serviceId"] = seo.clone();
    warm["businessNiche"] = json!("Стоматология 100%_");
    warm["email"] = json!("Dentist@Clinic.RU");
    // Three digits: too few for the search text to hold them apart as a phone's.
    warm["additionalComments"] = json!("Офис: кв 5-12");
    let warm = app.submit_ok(warm).await;
    let mut cold = COLD();
    cold["name"] = json!("Пётр");
    cold["surname"] = json!("Королёв");
    cold["additionalComments"] = json!("Позвоните после обеда");
    let cold = app.submit_ok(cold).await;
    set_created_at(&app, &cold, "2026-01-15T12:00:00Z").await;
    app.gql_as(&token, SET_STATUS, json!({"id": warm, "s": "IN_PROGRESS"}))
        .await;

    for (filter, expected) in [
        (json!({"priority": "URGENT"}), vec![hot.clone()]),
        (json!({"priority": "MEDIUM"}), vec![warm.clone()]),
        (json!({"status": "IN_PROGRESS"}), vec![warm.clone()]),
        (json!({"status": "NEW"}), vec![hot.clone(), cold.clone()]),
        (json!({"serviceId": site}), vec![hot.clone()]),
        (json!({"search": "иван"}), vec![hot.clone()]),
        (json!({"search": "ГРОЗН"}), vec![hot.clone()]),
        (json!({"search": "9991234567"}), vec![hot.clone()]),
        (json!({"search": "dentist@clinic"}), vec![warm.clone()]),
        (json!({"search": "стоматолог"}), vec![warm.clone()]),
        (json!({"search": "100%_"}), vec![warm.clone()]),
        (json!({"search": "%"}), vec![warm.clone()]),
        (json!({"search": "после ОБЕДА"}), vec![cold.clone()]),
        // Every word, wherever it is: name and surname are apart, here in the other order.
        (json!({"search": "Грозный  Иван"}), vec![hot.clone()]),
        (json!({"search": "иван +7 (999)"}), vec![hot.clone()]),
        (json!({"search": "иван стоматолог"}), vec![]),
        // Number groups among words: as typed in a comment, not only as a phone's digits.
        (json!({"search": "офис кв 5-12"}), vec![warm.clone()]),
        // ё and е are one letter to the search, both ways.
        (json!({"search": "королев"}), vec![cold.clone()]),
        (json!({"search": "КОРОЛЁВ"}), vec![cold.clone()]),
        (json!({"search": "петр обеда"}), vec![cold.clone()]),
        (json!({"search": "nobody"}), vec![]),
        (
            json!({"search": "   "}),
            vec![hot.clone(), warm.clone(), cold.clone()],
        ),
        (
            json!({"createdTo": "2026-02-01T00:00:00Z"}),
            vec![cold.clone()],
        ),
        (
            json!({"createdFrom": "2026-02-01T00:00:00Z"}),
            vec![hot.clone(), warm.clone()],
        ),
        (
            json!({"priority": "LOW", "createdFrom": "2026-02-01T00:00:00Z"}),
            vec![],
        ),
    ] {
        let page = list(&app, &token, json!({"filter": filter})).await;
        assert_eq!(ids(&page), expected, "filter {filter}");
        assert_eq!(page["totalCount"], expected.len(), "filter {filter}");
    }
    let bad = app
        .gql_as(&token, LIST, json!({"filter": {"createdFrom": "2026-02-01T00:00:00Z", "createdTo": "2026-01-01T00:00:00Z"}}))
        .await;
    assert_error(&bad, "BAD_USER_INPUT", Some("createdTo"));
    let bad = app
        .gql_as(
            &token,
            LIST,
            json!({"filter": {"search": "а б в г д е ж з и к л"}}),
        )
        .await;
    assert_error(&bad, "BAD_USER_INPUT", Some("search"));
    assert_eq!(
        bad["errors"][0]["extensions"]["reason"], "TOO_MANY",
        "{bad}"
    );
    assert_eq!(bad["errors"][0]["extensions"]["max"], 10, "{bad}");
    // Refused by its length before it is taken apart into words.
    let huge = "слово ".repeat(5_000);
    let bad = app
        .gql_as(&token, LIST, json!({"filter": {"search": huge}}))
        .await;
    assert_error(&bad, "BAD_USER_INPUT", Some("search"));
    assert_eq!(
        bad["errors"][0]["extensions"]["reason"], "TOO_LONG",
        "{bad}"
    );
    let bad = app
        .gql_as(&token, LIST, json!({"filter": {"serviceId": "x"}}))
        .await;
    assert_error(&bad, "BAD_USER_INPUT", Some("serviceId"));
}

/// A number written with 8 in front finds it stored with +7, and the other way round: Russian
/// callers write the trunk prefix either way. A short number ("8 15") is not widened.
async fn a_phone_is_found_with_either_trunk_prefix(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let plus = app
        .submit_ok(json!({"surname": "Иванова", "phone": "+7 (912) 555-01-68"}))
        .await;
    let eight = app
        .submit_ok(json!({"phone": "8 912 555 01 77", "email": "e@example.com"}))
        .await;
    let office = app
        .submit_ok(json!({"additionalComments": "Кабинет 715", "email": "o@example.com"}))
        .await;
    let found = |search: &str| {
        let (app, token, search) = (&app, token.clone(), search.to_owned());
        async move {
            let page = list(app, &token, json!({"filter": {"search": search}})).await;
            let mut found = ids(&page);
            assert_eq!(page["totalCount"], found.len(), "{search}");
            found.sort();
            found
        }
    };
    let sorted = |mut ids: Vec<&String>| {
        ids.sort();
        ids.into_iter().cloned().collect::<Vec<String>>()
    };
    for (search, expected) in [
        ("8 912 555-01-68", vec![&plus]),
        ("89125550168", vec![&plus]),
        ("79125550168", vec![&plus]),
        ("+7 912 555 01 77", vec![&eight]),
        ("8 (912) 555-01-77", vec![&eight]),
        ("8 912 555 01", vec![&plus, &eight]),
        // As it is being typed: an operator's code after the 8 is enough.
        ("8 912", vec![&plus, &eight]),
        ("+7 912", vec![&plus, &eight]),
        ("+7 912 555-01", vec![&plus, &eight]),
        ("912 555 01", vec![&plus, &eight]),
        ("иванова 8-912-555-01", vec![&plus]),
        // Too short for a prefix and a number: "8 15" is not "7 15".
        ("7 15", vec![&office]),
        ("8 15", vec![]),
    ] {
        assert_eq!(found(search).await, sorted(expected), "{search}");
    }
}

const BY_NAME: &str = "query($first: Int, $after: String, $direction: SortDirection) {
  leads(first: $first, after: $after, sort: NAME, direction: $direction) {
    nodes { id surname name }
    pageInfo { hasNextPage endCursor }
  }
}";

/// Every order as the name sort walks them, `first` a page: "Surname Name" as shown, each
/// order once.
async fn walk_by_name(app: &TestApp, token: &str, direction: &str, first: u64) -> Vec<String> {
    let (mut after, mut seen, mut names) = (Value::Null, Vec::new(), Vec::new());
    loop {
        let vars = json!({"first": first, "after": after, "direction": direction});
        let body = app.gql_as(token, BY_NAME, vars).await;
        assert!(body["errors"].is_null(), "{body}");
        let leads = &body["data"]["leads"];
        for lead in leads["nodes"].as_array().unwrap() {
            let id = lead["id"].as_str().unwrap().to_owned();
            assert!(!seen.contains(&id), "{lead} twice, {direction} by {first}");
            seen.push(id);
            names.push(format!("{} {}", lead["surname"], lead["name"]).replace('"', ""));
        }
        if leads["pageInfo"]["hasNextPage"] != true {
            return names;
        }
        after = leads["pageInfo"]["endCursor"].clone();
    }
}

/// Walks the name sort both ways, a page of one and of three, and checks it is `ascending`.
async fn assert_walks_by_name(app: &TestApp, token: &str, ascending: &[&str]) {
    let descending: Vec<&str> = ascending.iter().rev().copied().collect();
    for first in [1, 3] {
        assert_eq!(
            walk_by_name(app, token, "ASC", first).await,
            ascending,
            "by {first}"
        );
        assert_eq!(
            walk_by_name(app, token, "DESC", first).await,
            descending,
            "by {first}"
        );
    }
}

/// The name sort goes by the letters, not by their case or ё: "абрамов" among the А, "Ёлкин"
/// among the Е — paged through with its cursors both ways, every order once.
async fn the_name_sort_ignores_case_and_yo(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    for (i, (surname, name)) in [
        ("Яковлева", "Анна"),
        ("Ёлкин", "Пётр"),
        ("абрамов", "борис"),
        ("Федорова", "Ольга"),
        ("ЖУКОВ", "Дмитрий"),
        ("Абрамова", "Вера"),
        ("Фёдоров", "Иван"),
        ("Zimmer", "Egor"),
        ("Елисеев", "Глеб"),
        ("orlova", "Zoë"),
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("n{i}@example.com");
        app.submit_ok(json!({"surname": surname, "name": name, "email": email}))
            .await;
    }
    // Shown as typed; ordered as folded ("zimmer egor", "абрамов борис", "елкин петр").
    let ascending = [
        "orlova Zoë",
        "Zimmer Egor",
        "абрамов борис",
        "Абрамова Вера",
        "Елисеев Глеб",
        "Ёлкин Пётр",
        "ЖУКОВ Дмитрий",
        "Фёдоров Иван",
        "Федорова Ольга",
        "Яковлева Анна",
    ];
    assert_walks_by_name(&app, &token, &ascending).await;

    // PostgreSQL compares the key code point by code point, as SQLite and Rust do, whatever
    // the database's own collation.
    if backend == Backend::Postgres {
        let collation = app
            .db
            .query_one_raw(Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT collation_name FROM information_schema.columns \
                 WHERE table_name = 'applications' AND column_name = 'sort_name'",
            ))
            .await
            .unwrap()
            .unwrap();
        let collation: Option<String> = collation.try_get("", "collation_name").unwrap();
        assert_eq!(collation.as_deref(), Some("C"));
    }
}

async fn the_status_pipeline(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let id = app.submit_ok(WARM()).await;

    let moved = app
        .gql_as(&token, SET_STATUS, json!({"id": id, "s": "IN_PROGRESS"}))
        .await;
    let lead = &moved["data"]["updateLeadStatus"];
    assert_eq!(lead["status"], "IN_PROGRESS", "{moved}");
    let first_response = lead["firstResponseAt"]
        .as_str()
        .expect("stamped")
        .to_owned();

    tokio::time::sleep(Duration::from_millis(5)).await;
    let refused = app
        .gql_as(
            &token,
            SET_STATUS,
            json!({"id": id, "s": "LOST", "r": "  "}),
        )
        .await;
    assert_error(&refused, "BAD_USER_INPUT", Some("lostReason"));
    let lost = app
        .gql_as(
            &token,
            SET_STATUS,
            json!({"id": id, "s": "LOST", "r": "Дорого"}),
        )
        .await;
    let lead = &lost["data"]["updateLeadStatus"];
    assert_eq!(lead["status"], "LOST");
    assert_eq!(lead["lostReason"], "Дорого");
    assert_eq!(
        lead["firstResponseAt"],
        first_response.as_str(),
        "only the first move stamps it"
    );

    let won = app
        .gql_as(&token, SET_STATUS, json!({"id": id, "s": "WON"}))
        .await;
    assert!(
        won["data"]["updateLeadStatus"]["lostReason"].is_null(),
        "{won}"
    );

    let missing = app
        .gql_as(
            &token,
            SET_STATUS,
            json!({"id": uuid::Uuid::now_v7().to_string(), "s": "WON"}),
        )
        .await;
    assert_error(&missing, "NOT_FOUND", None);
    let anonymous = app.gql(SET_STATUS, json!({"id": id, "s": "NEW"})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    let anonymous = app.gql(LIST, json!({})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
}

async fn orders_keep_the_service_name_they_were_sent_with(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let service =
        app.create_service(&token, "Лендинг", None).await["data"]["createService"]["id"].clone();
    app.submit_ok(json!({"serviceId": service})).await;
    app.gql_as(
        &token,
        "mutation($id: ID!) { updateService(id: $id, input: {name: \"Сайт-визитка\"}) { id } }",
        json!({"id": service}),
    )
    .await;
    let page = list(&app, &token, json!({})).await;
    assert_eq!(page["nodes"][0]["serviceName"], "Лендинг");
    assert_eq!(page["nodes"][0]["service"]["name"], "Сайт-визитка");

    app.gql_as(
        &token,
        "mutation($id: ID!) { deleteService(id: $id) }",
        json!({"id": service}),
    )
    .await;
    let page = list(&app, &token, json!({})).await;
    assert_eq!(page["nodes"][0]["serviceName"], "Лендинг");
    assert!(page["nodes"][0]["service"].is_null());
}

/// What a visitor typed comes back to the admin character for character: quotes, backslashes,
/// line breaks, emoji, markup and JSON-looking text, at each field's full length, for orders
/// sent at once (those that share a group go in one JSON array on PostgreSQL,
/// `intake::insert_as_json`).
async fn orders_are_stored_exactly_as_typed(backend: Backend) {
    use server::leads::text::{Check, FIELDS};

    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let service = app.create_service(&token, "Сайт \"под ключ\"", None).await;
    let service_id = service["data"]["createService"]["id"].clone();
    let awkward = |n: usize, field: &str| {
        let text = format!(
            "{field} «{n}» \"кавычки\" \\ c:\\путь\nвторая строка\tтаб 🙂 <b>&amp;</b> {{\"json\": [1, null]}} \u{2028}"
        );
        // Exactly the field's limit in characters, ending in a letter (values are trimmed).
        let max = FIELDS
            .iter()
            .find(|f| f.api == field)
            .map_or(100, |f| f.max);
        let mut text: String = text.chars().take(max - 1).collect();
        while text.chars().count() < max {
            text.push('я');
        }
        text
    };
    let inputs: Vec<Value> = (0..6)
        .map(|n| {
            let mut input = json!({
                "name": format!("О'Нил-\"{n}\""), "surname": "Д'Артаньян",
                "patronymic": "Иванович", "email": format!("o.neil+{n}@example.com"),
                "phone": "+7 (999) 123-45-67", "serviceId": service_id, "consent": true,
            });
            for field in FIELDS.iter().filter(|f| f.check == Check::Text) {
                input[field.api] = json!(awkward(n, field.api));
            }
            input
        })
        .collect();
    let receipts =
        futures_util::future::join_all(inputs.iter().map(|input| app.submit(input.clone()))).await;
    let fields: Vec<&str> = FIELDS.iter().map(|f| f.api).collect();
    let query = format!(
        "query($id: ID!) {{ lead(id: $id) {{ {} serviceName createdAt consentAt }} }}",
        fields.join(" ")
    );
    for (input, receipt) in inputs.iter().zip(&receipts) {
        let receipt = &receipt["data"]["submitApplication"];
        let id = receipt["id"]
            .as_str()
            .unwrap_or_else(|| panic!("refused: {receipt}"));
        let body = app.gql_as(&token, &query, json!({"id": id})).await;
        let lead = &body["data"]["lead"];
        for field in &fields {
            assert_eq!(lead[*field], input[*field], "{field} of {id}: {body}");
        }
        assert_eq!(lead["serviceName"], "Сайт \"под ключ\"");
        assert_eq!(lead["createdAt"], receipt["createdAt"], "{body}");
        assert_eq!(lead["consentAt"], receipt["createdAt"], "{body}");
    }
}

/// Twins in one group (an order and its retry, stored together) whose order the unique keys
/// refuse, because another replica stored it after the group's read, both answer with the
/// stored order: neither names an id that was never stored.
async fn twins_refused_by_the_unique_keys_name_the_stored_order(backend: Backend) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use server::db::entities::lead;

    let app = TestApp::spawn(backend).await;
    let (db, events, metrics) = (&app.state.db, &app.state.events, &app.state.metrics);
    let visit = Uuid::new_v4().to_string();
    let draft = || {
        let text = LeadText {
            name: "Иван".into(),
            surname: "Петров".into(),
            email: "ivan@example.com".into(),
            ..LeadText::default()
        };
        intake::LeadDraft::parse(text, None, Some(&visit)).unwrap()
    };
    let stored = intake::store_group(db, events, metrics, vec![draft()])
        .await
        .unwrap()
        .pop()
        .unwrap()
        .unwrap();
    // As the other replica's row looks to a group that read before its commit: the same
    // duplicate keys, not found by the group's fingerprint read.
    let hidden = lead::Entity::update_many()
        .col_expr(
            lead::Column::Fingerprint,
            Expr::value(Option::<String>::None),
        )
        .filter(lead::Column::Id.eq(stored.id))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(hidden.rows_affected, 1);

    let answers = intake::store_group(db, events, metrics, vec![draft(), draft()])
        .await
        .unwrap();
    let ids: Vec<Uuid> = answers.into_iter().map(|a| a.unwrap().id).collect();
    assert_eq!(ids, [stored.id, stored.id]);
    assert_eq!(app.count("applications").await, 1);
}

async fn services_of_a_page_come_with_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut services = Vec::new();
    for i in 0..5 {
        let created = app
            .gql_as(
                &token,
                "mutation($i: ServiceInput!) { createService(input: $i) { id } }",
                json!({"i": {"name": format!("Service {i}"), "description": format!("About {i}"),
                             "priceFrom": if i % 2 == 0 { Some(1000 * i) } else { None }}}),
            )
            .await;
        services.push(created["data"]["createService"]["id"].clone());
    }
    for i in 0..50 {
        app.submit_ok(json!({"serviceId": services[i % 5], "email": format!("n{i}@example.com")}))
            .await;
    }
    const SERVICE: &str = "{ id name description priceFrom createdAt updatedAt }";
    let query = format!("{{ leads(first: 50) {{ nodes {{ id service {SERVICE} }} }} }}");
    let before = app.state.queries.get();
    let body = app.gql_as(&token, &query, json!({})).await;
    let spent = app.state.queries.get() - before;
    let nodes = body["data"]["leads"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 50);
    // Each lead's service reads exactly as the services list shows it.
    let listed = app
        .gql_as(&token, &format!("{{ services {SERVICE} }}"), json!({}))
        .await;
    let listed = listed["data"]["services"].as_array().unwrap().clone();
    for node in nodes {
        let service = &node["service"];
        assert!(
            listed.contains(service),
            "{service} is not among {listed:?}"
        );
    }
    // Admin lookup + the page, which brings its services along (no load of them, let alone
    // 50).
    assert_eq!(spent, 2, "listing 50 leads with their services");
}

async fn behavior_of_a_page_loads_in_one_batch(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    for i in 0..20 {
        let (visitor, visit) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
        app.send_batch_ok(json!({"visitorId": visitor, "visitId": visit}))
            .await;
        app.submit_ok(json!({"visitId": visit, "email": format!("v{i}@example.com")}))
            .await;
    }
    app.submit_ok(json!({"email": "no-visit@example.com"}))
        .await;
    let query =
        "{ leads(first: 50) { edges { node { behavior { engagedSeconds visitNumber } } } } }";
    let before = app.state.queries.get();
    let body = app.gql_as(&token, query, json!({})).await;
    let spent = app.state.queries.get() - before;
    let behaviors: Vec<&Value> = body["data"]["leads"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["behavior"])
        .collect();
    assert_eq!(behaviors.len(), 21, "{body}");
    assert_eq!(
        behaviors.iter().filter(|b| b.is_null()).count(),
        1,
        "{body}"
    );
    assert!(
        behaviors
            .iter()
            .filter(|b| !b.is_null())
            .all(|b| b["visitNumber"] == 1),
        "{body}"
    );
    // Admin lookup + the page + one batched visit load (not 20).
    assert_eq!(spent, 3, "listing 21 leads with their visitors' behavior");
}

async fn admins_hear_about_new_orders_live(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;

    let mut anonymous = app.ws_connect(json!({})).await.unwrap();
    anonymous
        .subscribe("1", "subscription { leadCreated { id } }")
        .await;
    let refusal = anonymous.next_json().await.expect("an answer");
    assert!(
        refusal.to_string().contains("UNAUTHENTICATED"),
        "anonymous subscribers are refused: {refusal}"
    );

    let mut ws = app
        .ws_connect(json!({"Authorization": format!("Bearer {token}")}))
        .await
        .unwrap();
    ws.subscribe(
        "1",
        "subscription { leadCreated { id name score priority } }",
    )
    .await;
    app.until_subscribed(1).await;
    let sent = app.submit_ok(json!({"email": "live@example.com"})).await;
    let message = ws.next_json().await.expect("leadCreated arrives");
    assert_eq!(message["type"], "next", "{message}");
    let lead = &message["payload"]["data"]["leadCreated"];
    assert_eq!(lead["id"], sent.as_str(), "{message}");
    assert_eq!(lead["name"], "Иван");
    assert_eq!(lead["priority"], "LOW");
}

/// An order the spam guard catches (from a contact of a lead marked spam) is stored quietly:
/// no live event, and the visit it came from does not count as converted.
async fn spam_guarded_orders_are_neither_announced_live_nor_converted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    // Subscribed before the first order: on PostgreSQL its event comes back through NOTIFY a
    // moment after the commit, and must not be taken for a later one.
    let mut ws = app.subscribe_to_leads(&token).await;
    let marked = app.submit_ok(json!({"email": "bot@spam.example"})).await;
    let message = ws.next_json().await.expect("leadCreated arrives");
    assert_eq!(
        message["payload"]["data"]["leadCreated"]["id"],
        marked.as_str(),
        "an order from a contact not yet marked is announced: {message}"
    );
    app.mark_spam(&token, &marked).await;
    let visit_id = Uuid::new_v4();
    app.send_batch_ok(json!({"visitorId": Uuid::new_v4().to_string(), "visitId": visit_id}))
        .await;

    let caught = app
        .submit_ok(json!({"email": "bot@spam.example", "visitId": visit_id}))
        .await;
    let normal = app.submit_ok(json!({"email": "client@example.com"})).await;
    // Events arrive in order: had the caught order been announced, it would come first.
    let message = ws.next_json().await.expect("leadCreated arrives");
    assert_eq!(
        message["payload"]["data"]["leadCreated"]["id"],
        normal.as_str(),
        "the first event after the caught order {caught}"
    );
    let status = app
        .gql_as(
            &token,
            "query($id: ID!) { lead(id: $id) { status } }",
            json!({"id": caught}),
        )
        .await;
    assert_eq!(status["data"]["lead"]["status"], "SPAM", "{status}");
    assert_eq!(
        app.visit_lead(visit_id).await,
        None,
        "the visit of a caught order is not converted"
    );
}

async fn csv_export_follows_the_filter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut hot = HOT();
    hot["name"] = json!("Фёдор");
    hot["additionalComments"] = json!("=HYPERLINK(\"evil\"), \"quoted\"");
    app.submit_ok(hot).await;
    app.submit_ok(COLD()).await;

    let url = app.url("/export/leads.csv?priority=URGENT");
    let unauthenticated = app.client.get(&url).send().await.unwrap();
    assert_eq!(unauthenticated.status(), 401);
    let body: Value = unauthenticated.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    let response = app
        .client
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"leads-")
            && disposition.ends_with("-data.csv\""),
        "the machine CSV is named apart from the people's: {disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM first");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert!(headers.iter().any(|h| h == "score_urgency"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "only URGENT leads: {text}");
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][column("name")], "Фёдор");
    assert_eq!(&rows[0][column("score")], "100");
    assert_eq!(&rows[0][column("status")], "NEW");
    assert_eq!(
        &rows[0][column("additional_comments")],
        "'=HYPERLINK(\"evil\"), \"quoted\""
    );

    let all = app
        .client
        .get(app.url("/export/leads.csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let text = all.text().await.unwrap();
    assert_eq!(
        csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .count(),
        2
    );

    let bad = app
        .client
        .get(app.url("/export/leads.csv?priority=HOT"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["field"], "priority");
}

async fn lead_stats_measure_the_pipeline(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let hot1 = app.submit_ok(HOT()).await;
    let hot2 = app
        .submit_ok({
            let mut h = HOT();
            h["email"] = json!("h2@example.com");
            h
        })
        .await;
    let hot3 = app
        .submit_ok({
            let mut h = HOT();
            h["email"] = json!("h3@example.com");
            h
        })
        .await;
    app.submit_ok(COLD()).await;
    app.gql_as(&token, SET_STATUS, json!({"id": hot1, "s": "WON"}))
        .await;
    app.gql_as(&token, SET_STATUS, json!({"id": hot2, "s": "WON"}))
        .await;
    app.gql_as(
        &token,
        SET_STATUS,
        json!({"id": hot3, "s": "LOST", "r": "Ушли к конкурентам"}),
    )
    .await;

    // Known response times instead of whatever the test's speed made them: 60 s, 2 min, 10 min.
    {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
        for (id, seconds) in [(&hot1, 60), (&hot2, 120), (&hot3, 600)] {
            let row = server::db::entities::lead::Entity::find_by_id(Uuid::parse_str(id).unwrap())
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            let created = row.created_at;
            let mut row = row.into_active_model();
            row.first_response_at = Set(Some(created + chrono::Duration::seconds(seconds)));
            row.update(&app.db).await.unwrap();
        }
    }
    let body = app
        .gql_as(
            &token,
            "{ leadStats { total medianFirstResponseSeconds byPriority { priority count won lost winRate } byStatus { status count } } }",
            json!({}),
        )
        .await;
    let stats = &body["data"]["leadStats"];
    assert_eq!(stats["total"], 4, "{body}");
    assert_eq!(stats["medianFirstResponseSeconds"], 120, "{body}");
    let urgent = stats["byPriority"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["priority"] == "URGENT")
        .unwrap();
    assert_eq!(urgent["count"], 3);
    assert_eq!(urgent["won"], 2);
    assert_eq!(urgent["lost"], 1);
    assert!((urgent["winRate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    let low = stats["byPriority"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["priority"] == "LOW")
        .unwrap();
    assert!(low["winRate"].is_null());
    let status = |s: &str| {
        stats["byStatus"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["status"] == s)
            .unwrap()["count"]
            .clone()
    };
    assert_eq!(status("NEW"), 1);
    assert_eq!(status("WON"), 2);
    assert_eq!(status("LOST"), 1);
    assert_eq!(status("IN_PROGRESS"), 0);
}

async fn demo_data_fills_every_band_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let report = server::demo::seed(&app.db, chrono_tz::UTC).await.unwrap();
    assert_eq!(report.orders, server::demo::DEMO_ORDERS);
    assert_eq!(app.service_names().await.len(), 6);
    let body = app
        .gql_as(
            &token,
            "{ leadStats { total byPriority { priority count } byStatus { status count } } }",
            json!({}),
        )
        .await;
    let stats = &body["data"]["leadStats"];
    assert_eq!(stats["total"], server::demo::DEMO_ORDERS);
    for group in ["byPriority", "byStatus"] {
        for entry in stats[group].as_array().unwrap() {
            assert!(entry["count"].as_i64().unwrap() >= 3, "{group}: {entry}");
        }
    }
    // Spread over the last 30 days, none in the future.
    let page = list(&app, &token, json!({"first": 200, "filter": {"createdFrom": (chrono::Utc::now() - chrono::Duration::days(31)).to_rfc3339()}})).await;
    assert_eq!(page["totalCount"], server::demo::DEMO_ORDERS);
    // An order someone took up was opened: only the NEW ones are unread.
    let body = app
        .gql_as(
            &token,
            "{ leads(first: 200) { nodes { status unread } } unreadLeadCount }",
            json!({}),
        )
        .await;
    let nodes = body["data"]["leads"]["nodes"].as_array().unwrap();
    let new = nodes.iter().filter(|n| n["status"] == "NEW").count();
    assert!(new > 0, "{body}");
    assert!(
        nodes.iter().all(|n| n["unread"] == (n["status"] == "NEW")),
        "{body}"
    );
    assert_eq!(body["data"]["unreadLeadCount"], new, "{body}");
    // A taken-up order shows how it got where it is: taken up when first answered, then closed.
    let body = app
        .gql_as(
            &token,
            "{ leads(first: 200) { nodes { status firstResponseAt createdAt
                 history { fromStatus toStatus actorKind actorName at } } } }",
            json!({}),
        )
        .await;
    for node in body["data"]["leads"]["nodes"].as_array().unwrap() {
        let moves: Vec<(&Value, &Value)> = node["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (&m["fromStatus"], &m["toStatus"]))
            .collect();
        let expected: Vec<(Value, Value)> = match node["status"].as_str().unwrap() {
            "NEW" => vec![],
            "IN_PROGRESS" => vec![(json!("NEW"), json!("IN_PROGRESS"))],
            closed => vec![
                (json!("NEW"), json!("IN_PROGRESS")),
                (json!("IN_PROGRESS"), json!(closed)),
            ],
        };
        let expected: Vec<(&Value, &Value)> = expected.iter().map(|(f, t)| (f, t)).collect();
        assert_eq!(moves, expected, "{node}");
        let history = node["history"].as_array().unwrap();
        if let Some(first) = history.first() {
            assert_eq!(first["at"], node["firstResponseAt"], "{node}");
            assert_eq!(first["actorKind"], "ADMIN", "{node}");
            assert!(!first["actorName"].as_str().unwrap().is_empty(), "{node}");
        }
        let times: Vec<chrono::DateTime<chrono::Utc>> = history
            .iter()
            .map(|m| m["at"].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{node}");
        assert!(times.iter().all(|t| *t <= chrono::Utc::now()), "{node}");
    }
    assert!(
        server::demo::seed(&app.db, chrono_tz::UTC).await.is_err(),
        "a database with orders is left alone"
    );
    assert_eq!(
        app.count("applications").await,
        server::demo::DEMO_ORDERS as i64
    );
}

async fn rescore_repairs_stored_scores(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.submit_ok(HOT()).await;
    app.submit_ok(COLD()).await;
    app.db
        .execute_unprepared("UPDATE applications SET score = 1, score_budget = 1, priority = 'LOW' WHERE score = 100")
        .await
        .unwrap();
    let report = server::leads::rescore::rescore_all(&app.db).await.unwrap();
    assert_eq!(
        report,
        server::leads::rescore::RescoreReport {
            checked: 2,
            changed: 1
        }
    );
    let again = server::leads::rescore::rescore_all(&app.db).await.unwrap();
    assert_eq!(again.changed, 0);
    let token = app.admin_token().await;
    let page = list(&app, &token, json!({})).await;
    assert_eq!(page["nodes"][0]["score"], 100);
    assert_eq!(page["nodes"][0]["priority"], "URGENT");
}

/// A damaged row is reported, never shown as something it is not: an unreadable status is
/// not "new", an unreadable click map is not "no clicks" (and no batch overwrites it).
async fn damaged_rows_are_errors_not_defaults(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let visit = Uuid::new_v4().to_string();
    let visitor = Uuid::new_v4().to_string();
    app.send_batch_ok(
        json!({"visitorId": visitor, "visitId": visit, "clicks": [{"element": "cta", "count": 2}]}),
    )
    .await;
    let id = app.submit_ok(json!({"visitId": visit})).await;
    app.db
        .execute_unprepared("UPDATE applications SET status = 'SHREDDED'")
        .await
        .unwrap();
    let body = app
        .gql_as(
            &token,
            "query($id: ID!) { lead(id: $id) { status } }",
            json!({"id": id}),
        )
        .await;
    assert_error(&body, "INTERNAL", None);
    app.db
        .execute_unprepared("UPDATE applications SET status = 'NEW'")
        .await
        .unwrap();
    app.db
        .execute_unprepared(r#"UPDATE visits SET clicks = '{"cta": "many"}'"#)
        .await
        .unwrap();
    let body = app
        .gql_as(
            &token,
            "query($id: ID!) { lead(id: $id) { behavior { clicks { element count } } } }",
            json!({"id": id}),
        )
        .await;
    assert_error(&body, "INTERNAL", None);
    let body = app
        .send_batch(json!({"visitorId": visitor, "visitId": visit, "seq": 2, "clicks": [{"element": "cta", "count": 1}]}))
        .await;
    assert_error(&body, "INTERNAL", None);
    let stored: String = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT CAST(clicks AS TEXT) AS clicks FROM visits",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "clicks")
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&stored).unwrap(),
        json!({"cta": "many"}),
        "a damaged map must not be overwritten"
    );
}

const TOTALS: &str = "query($first: Int, $filter: LeadFilter) {
  leads(first: $first, filter: $filter) { totalCount totalCountIsExact }
}";

/// The total the API gives for `filter`, and whether it says it is exact. One row per page,
/// so a total above one is counted, never read off a page that holds everything.
async fn total(app: &TestApp, token: &str, filter: Value) -> (i64, bool) {
    let body = app
        .gql_as(token, TOTALS, json!({"first": 1, "filter": filter}))
        .await;
    let leads = &body["data"]["leads"];
    match (
        leads["totalCount"].as_i64(),
        leads["totalCountIsExact"].as_bool(),
    ) {
        (Some(n), Some(exact)) => (n, exact),
        _ => panic!("no total for {filter}: {body}"),
    }
}

/// `SELECT COUNT(*)` of the leads a condition picks, straight from the table.
async fn rows(app: &TestApp, condition: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM applications WHERE {condition}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

/// Every view the database keeps a count of — unfiltered, each priority, each status, each
/// pair — gives exactly what `COUNT(*)` says, and says it is exact.
async fn assert_counts_exact(app: &TestApp, token: &str, when: &str) {
    let priorities = [None, Some("URGENT"), Some("MEDIUM"), Some("LOW")];
    let statuses = [
        None,
        Some("NEW"),
        Some("IN_PROGRESS"),
        Some("WON"),
        Some("LOST"),
    ];
    for priority in priorities {
        for status in statuses {
            let mut filter = json!({});
            let mut condition = vec!["1 = 1".to_owned()];
            if let Some(p) = priority {
                filter["priority"] = json!(p);
                condition.push(format!("priority = '{p}'"));
            }
            if let Some(s) = status {
                filter["status"] = json!(s);
                condition.push(format!("status = '{s}'"));
            }
            let expected = rows(app, &condition.join(" AND ")).await;
            assert_eq!(
                total(app, token, filter.clone()).await,
                (expected, true),
                "{when}: total of {filter}"
            );
        }
    }
}

/// Speed to lead is the median of the latest 1,000 first responses, however many there are:
/// it says how fast orders are answered now, and reads the same few rows at any size.
async fn speed_to_lead_is_of_the_latest_responses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let now = chrono::Utc::now();
    // 1,500 orders answered in ten hours, two days ago; then 1,000 answered in a minute.
    for (n, created, wait) in [
        (
            1_500,
            now - chrono::Duration::days(2),
            chrono::Duration::hours(10),
        ),
        (
            1_000,
            now - chrono::Duration::hours(1),
            chrono::Duration::seconds(60),
        ),
    ] {
        insert_leads(&app, n, "петров иван").await;
        app.db
            .execute_raw(sea_orm::Statement::from_sql_and_values(
                app.db.get_database_backend(),
                match app.db.get_database_backend() {
                    sea_orm::DbBackend::Postgres => {
                        "UPDATE applications SET status = 'IN_PROGRESS', created_at = $1, \
                         first_response_at = $2 WHERE first_response_at IS NULL"
                    }
                    _ => {
                        "UPDATE applications SET status = 'IN_PROGRESS', created_at = ?, \
                         first_response_at = ? WHERE first_response_at IS NULL"
                    }
                },
                [created.into(), (created + wait).into()],
            ))
            .await
            .unwrap();
    }
    let body = app
        .gql_as(
            &token,
            "{ leadStats { total medianFirstResponseSeconds byStatus { status count } } }",
            json!({}),
        )
        .await;
    let stats = &body["data"]["leadStats"];
    assert_eq!(stats["total"], 2_500, "{body}");
    assert_eq!(stats["medianFirstResponseSeconds"], 60, "{body}");
}

/// Inserts `n` leads in one statement, as a bulk load would: every one LOW and NEW, with
/// `text` as its search text.
async fn insert_leads(app: &TestApp, n: usize, text: &str) {
    let backend = app.db.get_database_backend();
    let placeholder = |i: usize| match backend {
        sea_orm::DbBackend::Postgres => format!("${i}"),
        _ => "?".to_owned(),
    };
    let mut values = Vec::new();
    let mut params: Vec<sea_orm::Value> = Vec::new();
    for i in 0..n {
        values.push(format!(
            "({}, 'Иван', 'Петров', 'i{i}@example.com', 20, 10, 5, 5, 'LOW', 'NEW', {}, \
             'петров иван', {})",
            placeholder(params.len() + 1),
            placeholder(params.len() + 2),
            placeholder(params.len() + 3),
        ));
        params.push(Uuid::now_v7().into());
        params.push(text.to_owned().into());
        params.push(chrono::Utc::now().into());
    }
    let sql = format!(
        "INSERT INTO applications (id, name, surname, email, score, score_budget, \
         score_company_size, score_urgency, priority, status, search_text, sort_name, \
         created_at) VALUES {}",
        values.join(", ")
    );
    app.db
        .execute_raw(Statement::from_sql_and_values(backend, sql, params))
        .await
        .unwrap();
}

/// The totals of the unfiltered list and of every priority / status view are counted by the
/// database as leads come and go, whoever writes them: intake (one at a time and many at
/// once), the pipeline, rescoring, a bulk insert, a hand-typed UPDATE and DELETE.
async fn totals_are_kept_exact_by_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    assert_counts_exact(&app, &token, "empty").await;

    let hot = app.submit_ok(HOT()).await;
    let warm = app.submit_ok(WARM()).await;
    let cold = app.submit_ok(COLD()).await;
    // Many at once: they share transactions and statements, and stripes.
    let orders = (0..24).map(|i| {
        let mut fields = [HOT(), WARM(), COLD()][i % 3].clone();
        fields["email"] = json!(format!("many{i}@example.com"));
        let app = &app;
        async move { app.submit_ok(fields).await }
    });
    futures_util::future::join_all(orders).await;
    assert_counts_exact(&app, &token, "after intake").await;
    assert_eq!(total(&app, &token, json!({})).await, (27, true));
    assert_eq!(
        total(&app, &token, json!({"priority": "URGENT"})).await,
        (9, true)
    );

    for (id, status) in [
        (&hot, "IN_PROGRESS"),
        (&warm, "WON"),
        (&hot, "WON"),
        (&cold, "NEW"),
    ] {
        let body = app
            .gql_as(
                &token,
                SET_STATUS,
                json!({"id": id, "s": status, "r": "Дорого"}),
            )
            .await;
        assert_eq!(body["data"]["updateLeadStatus"]["status"], status, "{body}");
    }
    let body = app
        .gql_as(
            &token,
            SET_STATUS,
            json!({"id": cold, "s": "LOST", "r": "Дорого"}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_counts_exact(&app, &token, "after status changes").await;
    assert_eq!(
        total(&app, &token, json!({"priority": "URGENT", "status": "WON"})).await,
        (1, true)
    );

    // A stored score gone stale (the rules changed): rescoring moves the lead to its
    // priority, and its count with it.
    app.db
        .execute_unprepared(
            "UPDATE applications SET score = 1, score_budget = 1, priority = 'LOW' \
             WHERE email = 'many0@example.com'",
        )
        .await
        .unwrap();
    assert_counts_exact(&app, &token, "after a hand-made UPDATE").await;
    let report = server::leads::rescore::rescore_all(&app.db).await.unwrap();
    assert_eq!(report.changed, 1);
    assert_counts_exact(&app, &token, "after rescoring").await;
    assert_eq!(
        total(&app, &token, json!({"priority": "URGENT"})).await,
        (9, true)
    );

    insert_leads(&app, 40, "иван\nпетров").await;
    assert_counts_exact(&app, &token, "after a bulk insert").await;
    app.db
        .execute_unprepared(
            "DELETE FROM applications WHERE email LIKE 'many1%' OR email LIKE 'i1%'",
        )
        .await
        .unwrap();
    assert_counts_exact(&app, &token, "after a DELETE").await;
    app.db
        .execute_unprepared("DELETE FROM applications")
        .await
        .unwrap();
    assert_counts_exact(&app, &token, "after deleting everything").await;
    assert_eq!(total(&app, &token, json!({})).await, (0, true));
}

/// A search (or any filter the database keeps no count of) counts 1,000 matches at most and
/// says "more than" past that; below the cap its total is exact.
async fn searches_count_to_a_cap(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    insert_leads(&app, 1000, "иван\nпетров").await;
    insert_leads(&app, 1, "пётр\nпетров").await;
    insert_leads(&app, 3, "мария\nсидорова").await;
    insert_leads(&app, 2, "о'нил\nc:\\путь").await;

    // Exactly the cap: still exact. One more: "more than 1,000".
    assert_eq!(
        total(&app, &token, json!({"search": "иван"})).await,
        (1000, true)
    );
    assert_eq!(
        total(&app, &token, json!({"search": "петров"})).await,
        (1000, false)
    );
    assert_eq!(
        total(
            &app,
            &token,
            json!({"search": "ПЕТРОВ", "priority": "LOW", "status": "NEW"})
        )
        .await,
        (1000, false)
    );
    // Below the cap: exact, counted (one row per page) or read off a page that holds all.
    assert_eq!(
        total(&app, &token, json!({"search": "сидоров"})).await,
        (3, true)
    );
    let page = list(&app, &token, json!({"filter": {"search": "сидоров"}})).await;
    assert_eq!(
        (page["totalCount"].clone(), ids(&page).len()),
        (json!(3), 3)
    );
    // The last page, reached by cursor, holds one of them: the total is still all three.
    let first = list(
        &app,
        &token,
        json!({"first": 2, "filter": {"search": "сидоров"}}),
    )
    .await;
    let last = list(
        &app,
        &token,
        json!({"first": 2, "after": first["pageInfo"]["endCursor"], "filter": {"search": "сидоров"}}),
    )
    .await;
    assert_eq!(
        (last["totalCount"].clone(), ids(&last).len()),
        (json!(3), 1)
    );
    assert_eq!(
        total(
            &app,
            &token,
            json!({"search": "иван", "priority": "URGENT"})
        )
        .await,
        (0, true)
    );
    // Quotes and backslashes are text, not SQL or LIKE syntax.
    for search in ["о'нил", "'", "c:\\путь", "\\"] {
        assert_eq!(
            total(&app, &token, json!({"search": search})).await,
            (2, true),
            "{search}"
        );
    }
    // Other filters count to the cap too; priority and status alone are kept exactly.
    assert_eq!(
        total(&app, &token, json!({"createdFrom": "2000-01-01T00:00:00Z"})).await,
        (1000, false)
    );
    assert_eq!(
        total(&app, &token, json!({"priority": "LOW"})).await,
        (1006, true)
    );
    assert_eq!(total(&app, &token, json!({})).await, (1006, true));
}

/// "More than 1,000" is counted once: new orders only keep it true, so asking again reads the
/// page alone. An admin who marks a lead spam, deletes it or moves it out of a status view
/// gets the search counted afresh at once.
async fn an_over_cap_total_is_counted_again_once_leads_go_away(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    insert_leads(&app, 1000, "иван\nпетров").await;
    let one_more = |text: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            insert_leads(app, 1, text).await;
            let page = list(app, token, json!({"filter": {"search": text}})).await;
            ids(&page).pop().expect("the lead just stored")
        }
    };
    let counted = |filter: Value| {
        let (app, token) = (&app, &token);
        async move {
            let before = app.state.queries.get();
            let total = total(app, token, filter).await;
            (total, app.state.queries.get() - before)
        }
    };
    let mutate = |document: &'static str, variables: Value| {
        let (app, token) = (&app, &token);
        async move {
            let body = app.gql_as(token, document, variables).await;
            assert!(body["errors"].is_null(), "{body}");
        }
    };
    let petrov = || json!({"search": "петров"});

    // 1,001 match; asked again, only the page is read.
    let piotr = one_more("пётр\nпетров").await;
    let (first, spent) = counted(petrov()).await;
    assert_eq!(first, (1000, false));
    let (again, spent_again) = counted(petrov()).await;
    assert_eq!(again, (1000, false));
    assert_eq!(spent_again, spent - 1, "the second total is not counted");

    // Marked spam: 1,000 left.
    let spam = "mutation($id: ID!, $spam: Boolean!) { markLeadSpam(id: $id, spam: $spam) { id } }";
    mutate(spam, json!({"id": piotr, "spam": true})).await;
    assert_eq!(counted(petrov()).await.0, (1000, true), "after spam");

    // Back (1,001), then deleted.
    mutate(spam, json!({"id": piotr, "spam": false})).await;
    assert_eq!(counted(petrov()).await.0, (1000, false));
    mutate(
        "mutation($id: ID!) { deleteLead(id: $id) }",
        json!({"id": piotr}),
    )
    .await;
    assert_eq!(counted(petrov()).await.0, (1000, true), "after deleting");

    // 1,001 NEW, then one moved on: the NEW view of the search holds 1,000.
    let anna = one_more("анна\nпетрова").await;
    let new_petrov = json!({"search": "петров", "status": "NEW"});
    assert_eq!(counted(new_petrov.clone()).await.0, (1000, false));
    mutate(SET_STATUS, json!({"id": anna, "s": "IN_PROGRESS"})).await;
    assert_eq!(counted(new_petrov).await.0, (1000, true), "after a move");

    // Every order of one service (set by hand, as a bulk load would), then the service
    // deleted: the orders keep its name but leave its filter, whose first page, empty, is its
    // own total (nothing to forget).
    let service = app.create_service(&token, "Сайт", None).await["data"]["createService"]["id"]
        .as_str()
        .expect("a service")
        .to_owned();
    let backend = app.db.get_database_backend();
    let placeholder = match backend {
        sea_orm::DbBackend::Postgres => "$1",
        _ => "?",
    };
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            format!("UPDATE applications SET service_id = {placeholder}"),
            [Uuid::parse_str(&service).unwrap().into()],
        ))
        .await
        .unwrap();
    let of_service = json!({"serviceId": service});
    assert_eq!(counted(of_service.clone()).await.0, (1000, false));
    mutate(
        "mutation($id: ID!) { deleteService(id: $id) }",
        json!({"id": service}),
    )
    .await;
    assert_eq!(
        counted(of_service).await.0,
        (0, true),
        "after deleting the service"
    );
}

/// Stores a lead row written in SQL: `values` are those of name, surname, email, the four
/// scores, priority, status and search text; the id is new and the time now, to the
/// microsecond as the server stores it (a cursor carries no more).
async fn insert_lead_row(db: &sea_orm::DatabaseConnection, values: &str) {
    let backend = db.get_database_backend();
    let (id, at) = match backend {
        sea_orm::DbBackend::Postgres => ("$1", "$2"),
        _ => ("?", "?"),
    };
    let sql = format!(
        "INSERT INTO applications (id, name, surname, email, score, score_budget, \
         score_company_size, score_urgency, priority, status, search_text, created_at) \
         VALUES ({id}, {values}, {at})"
    );
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [Uuid::now_v7().into(), server::values::now().into()],
    ))
    .await
    .unwrap();
}

/// Leads stored before the counts existed are counted by the migration that adds them.
async fn counts_start_from_the_leads_already_stored(backend: Backend) {
    let (test_db, db) =
        TestDb::migrated_until(backend, "m20261202_000012_lead_counts_and_search_index").await;
    // Scores in their priority's band, as scoring always stores them.
    for (i, (priority, status, parts)) in [
        ("URGENT", "NEW", (40, 30, 20)),
        ("LOW", "WON", (10, 5, 15)),
        ("LOW", "WON", (20, 5, 5)),
    ]
    .into_iter()
    .enumerate()
    {
        let (budget, size, urgency) = parts;
        let score = budget + size + urgency;
        insert_lead_row(
            &db,
            &format!(
                "'Анна', 'Смирнова', 'a{i}@example.com', {score}, {budget}, {size}, {urgency}, \
                 '{priority}', '{status}', 'анна'"
            ),
        )
        .await;
    }
    let _ = db.close().await;
    let app = TestApp::spawn_with_db(test_db).await;
    let token = app.admin_token().await;
    assert_counts_exact(&app, &token, "after the migration").await;
    assert_eq!(
        total(&app, &token, json!({"status": "WON"})).await,
        (2, true)
    );
    app.submit_ok(HOT()).await;
    assert_eq!(total(&app, &token, json!({})).await, (4, true));
}

/// Search text stored before the search folded ё into е is folded by the migration that
/// began it, so old orders are found like new ones.
async fn stored_search_text_is_folded_by_its_migration(backend: Backend) {
    let (test_db, db) = TestDb::migrated_until(backend, "m20261205_000028_search_folds_yo").await;
    insert_lead_row(
        &db,
        "'Пётр', 'Фёдоров', 'p@example.com', 10, 5, 5, 0, 'LOW', 'NEW', \
         'пётр\nфёдоров\np@example.com'",
    )
    .await;
    let _ = db.close().await;
    let app = TestApp::spawn_with_db(test_db).await;
    let token = app.admin_token().await;
    for search in ["федоров", "Фёдоров", "петр федоров"] {
        assert_eq!(
            total(&app, &token, json!({"search": search})).await,
            (1, true),
            "{search}"
        );
    }
}

/// Names stored before the name sort folded case and ё are sorted by the folded key once
/// its migration has run, and walked through with the cursors the server makes.
async fn stored_sort_names_are_folded_by_its_migration(backend: Backend) {
    let (test_db, db) = TestDb::migrated_until(backend, "m20261206_000029_name_sort_folds").await;
    for (i, (name, surname)) in [
        ("Пётр", "Ёлкин"),
        ("борис", "абрамов"),
        ("Вера", "Борисова"),
    ]
    .into_iter()
    .enumerate()
    {
        insert_lead_row(
            &db,
            &format!("'{name}', '{surname}', 'm{i}@example.com', 10, 5, 5, 0, 'LOW', 'NEW', ''"),
        )
        .await;
    }
    // The migration's SQL folds as the server's Rust does, character by character: every
    // capital the fold knows, and some it leaves alone.
    let alphabets = [
        (
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ",
        ),
        ("ЀЁЂЃЄЅІЇЈЉЊЋЌЍЎЏ", "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"),
        ("ёЁеЕ-O'Neil", "Ґ ẞ Ω × ß 12"),
    ];
    for (i, (surname, name)) in alphabets.iter().enumerate() {
        insert_lead_row(
            &db,
            &format!(
                "'{name}', '{}', 'a{i}@example.com', 10, 5, 5, 0, 'LOW', 'NEW', ''",
                surname.replace('\'', "''")
            ),
        )
        .await;
    }
    let _ = db.close().await;
    let app = TestApp::spawn_with_db(test_db).await;
    let token = app.admin_token().await;
    for (i, (surname, name)) in alphabets.into_iter().enumerate() {
        let text = LeadText {
            surname: surname.to_owned(),
            name: name.to_owned(),
            ..LeadText::default()
        };
        let stored = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                format!("SELECT sort_name FROM applications WHERE email = 'a{i}@example.com'"),
            ))
            .await
            .unwrap()
            .unwrap();
        let stored: String = stored.try_get("", "sort_name").unwrap();
        assert_eq!(stored, text.sort_name(), "{surname} {name}");
    }
    app.db
        .execute_unprepared("DELETE FROM applications WHERE email LIKE 'a_@example.com'")
        .await
        .unwrap();
    assert_walks_by_name(
        &app,
        &token,
        &["абрамов борис", "Борисова Вера", "Ёлкин Пётр"],
    )
    .await;
}

db_tests!(
    damaged_rows_are_errors_not_defaults,
    speed_to_lead_is_of_the_latest_responses,
    orders_are_scored_and_ranked,
    bad_orders_name_the_field_and_store_nothing,
    a_contact_method_by_phone_needs_the_phone,
    a_phone_names_its_letters_before_its_length,
    spam_looks_accepted_but_is_not_stored,
    orders_are_rate_limited_per_client,
    keyset_pages_are_stable_across_inserts,
    ties_go_newest_first_then_by_id,
    filters_and_search,
    a_phone_is_found_with_either_trunk_prefix,
    the_status_pipeline,
    orders_keep_the_service_name_they_were_sent_with,
    orders_are_stored_exactly_as_typed,
    twins_refused_by_the_unique_keys_name_the_stored_order,
    services_of_a_page_come_with_it,
    behavior_of_a_page_loads_in_one_batch,
    admins_hear_about_new_orders_live,
    spam_guarded_orders_are_neither_announced_live_nor_converted,
    csv_export_follows_the_filter,
    lead_stats_measure_the_pipeline,
    demo_data_fills_every_band_once,
    rescore_repairs_stored_scores,
    totals_are_kept_exact_by_the_database,
    searches_count_to_a_cap,
    an_over_cap_total_is_counted_again_once_leads_go_away,
    counts_start_from_the_leads_already_stored,
    stored_search_text_is_folded_by_its_migration,
    the_name_sort_ignores_case_and_yo,
    stored_sort_names_are_folded_by_its_migration,
);

/// The order form's own document is answered without the executor (`http::known`); every case
/// here is sent with it and with the same document plus a trailing space, which only the
/// executor serves. Status, type and body must be the same bytes (each order's id and time
/// aside, which differ by nature: both must be there, shaped alike), and what is stored the
/// same row.
async fn the_order_document_is_answered_as_the_executor_would(backend: Backend) {
    use sea_orm::EntityTrait;
    use server::{db::entities::lead, http::known::SUBMIT_APPLICATION};

    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let service = app.create_service(&token, "Сайт под ключ", None).await;
    let service_id = service["data"]["createService"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = json!({
        "name": "Анна", "surname": "Кузнецова", "patronymic": "Игоревна",
        "email": "EMAIL", "phone": "+7 (912) 555-12-34", "serviceId": service_id,
        "businessInfo": "Кофейня", "businessNiche": "HoReCa", "companySize": "size_50_100",
        "budget": "3 млн", "deadline": "срочно", "convenientTime": "после 15:00",
        "preferredContactMethod": "contact_telegram", "additionalComments": "<b>привет</b>",
        "consent": true
    });
    let with = |changes: Value| {
        let mut input = base.clone();
        for (k, v) in changes.as_object().expect("an object of changes") {
            if v.is_null() && k.starts_with('-') {
                input.as_object_mut().unwrap().remove(&k[1..]);
            } else {
                input[k] = v.clone();
            }
        }
        json!({ "query": "DOC", "variables": { "input": input } }).to_string()
    };
    let cases: Vec<(&str, String, bool)> = vec![
        // (name, body, served by the known path)
        ("full", with(json!({})), true),
        (
            "required only",
            json!({ "query": "DOC", "variables": { "input": {
                "name": "Олег", "surname": "Васильев", "email": "EMAIL", "consent": true
            } } })
            .to_string(),
            true,
        ),
        (
            "optional nulls",
            with(json!({ "phone": null, "serviceId": null, "budget": null })),
            true,
        ),
        (
            "variables before query",
            format!(r#"{{"variables":{{"input":{}}},"query":"DOC"}}"#, base),
            true,
        ),
        (
            "operation named",
            with(json!({})).replacen('{', r#"{"operationName":"SubmitApplication","#, 1),
            true,
        ),
        (
            "extensions map",
            with(json!({})).replacen('{', r#"{"extensions":{},"#, 1),
            true,
        ),
        ("no consent", with(json!({ "-consent": null })), true),
        ("consent false", with(json!({ "consent": false })), true),
        (
            "name too long",
            with(json!({ "name": "я".repeat(101) })),
            true,
        ),
        ("blank surname", with(json!({ "surname": "   " })), true),
        ("bad e-mail", with(json!({ "email": "not-an-email" })), true),
        (
            "bidi in a comment",
            with(json!({ "additionalComments": "a\u{202e}b" })),
            true,
        ),
        (
            "service id not a UUID",
            with(json!({ "serviceId": "nope" })),
            true,
        ),
        (
            "unknown service",
            with(json!({ "serviceId": Uuid::new_v4() })),
            true,
        ),
        (
            "visit id not a UUID",
            with(json!({ "visitId": "nope" })),
            true,
        ),
        (
            "honeypot filled",
            with(json!({ "website": "http://spam.example" })),
            true,
        ),
        (
            "Int for the service ID",
            with(json!({ "serviceId": 5 })),
            false,
        ),
        (
            "string for consent",
            with(json!({ "consent": "true" })),
            false,
        ),
        ("null name", with(json!({ "name": null })), false),
        ("unknown input field", with(json!({ "salary": 1 })), false),
        (
            "input null",
            json!({ "query": "DOC", "variables": { "input": null } }).to_string(),
            false,
        ),
        (
            "extra variable",
            json!({ "query": "DOC", "variables": { "input": base, "x": 1 } }).to_string(),
            false,
        ),
        ("no variables", json!({ "query": "DOC" }).to_string(), false),
        (
            "another operation name",
            with(json!({})).replacen('{', r#"{"operationName":"Other","#, 1),
            false,
        ),
        (
            "extensions not a map",
            with(json!({})).replacen('{', r#"{"extensions":1,"#, 1),
            false,
        ),
        (
            "duplicate key",
            with(json!({})).replacen(r#""name":"Анна""#, r#""name":"Анна","name":"Ольга""#, 1),
            false,
        ),
    ];
    // Each order's id and time differ between the two sends; everything else is compared.
    let receipt = |text: &str| -> (Value, Option<(String, String)>) {
        let mut body: Value = serde_json::from_str(text).expect("a JSON answer");
        let Some(receipt) = body["data"]["submitApplication"].as_object_mut() else {
            return (body, None);
        };
        let id = receipt["id"].as_str().unwrap().to_owned();
        let at = receipt["createdAt"].as_str().unwrap().to_owned();
        receipt.insert("id".into(), json!("ID"));
        receipt.insert("createdAt".into(), json!("AT"));
        (body, Some((id, at)))
    };
    // An RFC 3339 UTC time (its fraction has 3, 6 or 9 digits, by the time itself).
    let shape = |at: &str| {
        chrono::DateTime::parse_from_rfc3339(at)
            .map(|t| t.offset().local_minus_utc())
            .ok()
    };
    let stored = |id: &str| {
        let db = app.db.clone();
        let id = Uuid::parse_str(id).unwrap();
        async move {
            lead::Entity::find_by_id(id)
                .one(&db)
                .await
                .unwrap()
                .map(|mut row| {
                    row.id = Uuid::nil();
                    row.created_at = chrono::DateTime::UNIX_EPOCH;
                    row.consent_at = row.consent_at.map(|_| chrono::DateTime::UNIX_EPOCH);
                    row.email = row.email.replacen("fast", "slow", 1);
                    row.search_text = row.search_text.replacen("fast", "slow", 1);
                    row
                })
        }
    };
    let (mut accepted, mut refused) = (0, 0);
    for (round, (name, body, fast_path)) in cases.iter().enumerate() {
        for (k, accept) in ["application/json", "application/graphql-response+json"]
            .into_iter()
            .enumerate()
        {
            let quoted = serde_json::to_string(SUBMIT_APPLICATION).unwrap();
            let slow_document = serde_json::to_string(&format!("{SUBMIT_APPLICATION} ")).unwrap();
            // Distinct e-mails per send, so no order is a twin of another.
            let fast = body
                .replace(r#""DOC""#, &quoted)
                .replace("EMAIL", &format!("fast{round}x{k}@example.com"));
            let slow = body
                .replace(r#""DOC""#, &slow_document)
                .replace("EMAIL", &format!("slow{round}x{k}@example.com"));
            assert_eq!(
                server::http::known::application(fast.as_bytes()).is_some(),
                *fast_path,
                "{name}: which path serves it"
            );
            let fast_answer = crate::metrics::post_raw(&app, fast, accept).await;
            let slow_answer = crate::metrics::post_raw(&app, slow, accept).await;
            assert_eq!(
                (fast_answer.0, &fast_answer.1),
                (slow_answer.0, &slow_answer.1),
                "{name} ({accept})"
            );
            let ((fast_body, fast_receipt), (slow_body, slow_receipt)) =
                (receipt(&fast_answer.2), receipt(&slow_answer.2));
            assert_eq!(fast_body, slow_body, "{name} ({accept})");
            if fast_receipt.is_none() {
                // Refusals carry no id: the whole text is the same bytes.
                assert_eq!(fast_answer.2, slow_answer.2, "{name} ({accept})");
            }
            match (fast_receipt, slow_receipt) {
                (Some((fast_id, fast_at)), Some((slow_id, slow_at))) => {
                    // The same bytes once the id and time are masked: key order included.
                    assert_eq!(
                        fast_answer
                            .2
                            .replacen(&fast_id, "ID", 1)
                            .replacen(&fast_at, "AT", 1),
                        slow_answer
                            .2
                            .replacen(&slow_id, "ID", 1)
                            .replacen(&slow_at, "AT", 1),
                        "{name} ({accept}): the text"
                    );
                    assert_eq!(shape(&fast_at), Some(0), "{name}: createdAt {fast_at}");
                    assert_eq!(shape(&slow_at), Some(0), "{name}: createdAt {slow_at}");
                    assert_eq!(
                        stored(&fast_id).await,
                        stored(&slow_id).await,
                        "{name}: stored"
                    );
                    accepted += 1;
                }
                (None, None) => refused += 1,
                other => panic!("{name}: one path accepted, the other did not: {other:?}"),
            }
        }
    }
    // Both kinds were compared, so the comparison above compared something.
    assert!(
        accepted >= 2 * 8 && refused >= 2 * 10,
        "{accepted} accepted, {refused} refused"
    );
}

db_tests!(the_order_document_is_answered_as_the_executor_would);

/// New orders' entries wait in the trigram search index's pending list (PostgreSQL; its own
/// limit, 32 MB, is only a safety net) and are found there; a merge moves them into the index,
/// where they are found as before, and leaves nothing pending.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_index_keeps_new_entries_pending_until_merged() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let options = app.reloptions("idx_applications_search").await;
    assert_eq!(options.as_deref(), Some("gin_pending_list_limit=32768"));
    let token = app.admin_token().await;
    let id = app
        .submit_ok(json!({"name": "Всеволод", "email": "vsevolod@example.com"}))
        .await;
    let found = list(&app, &token, json!({"filter": {"search": "всевол"}})).await;
    assert_eq!(ids(&found), vec![id.clone()]);
    let pages = search_index::merge(&app.db).await.expect("merge");
    assert!(
        pages >= 1,
        "the order's entries were pending: {pages} pages merged"
    );
    assert_eq!(search_index::merge(&app.db).await.expect("merge"), 0);
    let found = list(&app, &token, json!({"filter": {"search": "всевол"}})).await;
    assert_eq!(ids(&found), vec![id]);
}

/// The order writer tells the merger how many orders it stored, and once they reach its
/// threshold the merger's task merges the pending list (PostgreSQL): nothing is left pending.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_order_writer_has_the_search_index_merged_past_a_threshold() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let state = &app.state;
    // No idle merge within the test: only the threshold can set it off.
    let merger = search_index::Merger::new(3, Duration::from_secs(3600));
    let writer = intake::OrderWriter::spawn(
        state.db.clone(),
        state.events.clone(),
        state.metrics.clone(),
        state.outbox.clone(),
        merger.clone(),
        WriteTurns::for_database(&state.db),
    );
    tokio::spawn(merger.clone().run(state.db.clone()));
    for (n, name) in ["Агата", "Богдана", "Ванда"].into_iter().enumerate() {
        let text = LeadText {
            name: name.to_owned(),
            surname: "Мерзлякова".to_owned(),
            email: format!("merge{n}@example.com"),
            ..LeadText::default()
        };
        let order = intake::Submission::parse(text, None, None, None)
            .and_then(|s| s.consented(Some(true)))
            .expect("a valid order");
        intake::submit(&writer, order).await.expect("stored");
        if n < 2 {
            assert_eq!(merger.merges(), 0, "{} orders, under the threshold", n + 1);
        }
    }
    // Bounded, so a writer that never counts fails instead of hanging.
    tokio::time::timeout(Duration::from_secs(30), merger.merged(1))
        .await
        .expect("no merge after the third order");
    assert_eq!(
        search_index::merge(&app.db).await.expect("merge"),
        0,
        "the merger left entries pending"
    );
    let token = app.admin_token().await;
    let found = list(&app, &token, json!({"filter": {"search": "мерзляков"}})).await;
    assert_eq!(found["totalCount"], 3);
}
