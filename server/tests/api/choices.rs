//! The form's choice fields as codes: stored as sent, scored as their bands, read in each
//! reader's language (the people CSV here); free text from other clients stays as typed; rows
//! stored before codes get them from the migration. And the two CSV formats.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, TestDb};

const LEAD: &str = "query($id: ID!) { lead(id: $id) { budget companySize deadline preferredContactMethod score scoreBreakdown { budget companySize urgency } } }";

async fn lead(app: &TestApp, token: &str, id: &str) -> Value {
    let body = app.gql_as(token, LEAD, json!({ "id": id })).await;
    body["data"]["lead"].clone()
}

async fn codes_are_stored_and_score_like_their_bands(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let coded = app
        .submit_ok(json!({
            "budget": "budget_1m_5m",
            "companySize": "size_100_500",
            "deadline": "deadline_1_month",
            "preferredContactMethod": "contact_telegram",
            "phone": "+7 (912) 555-01-68",
        }))
        .await;
    let texts = app
        .submit_ok(json!({
            "email": "texts@example.com",
            "budget": "1–5 млн ₽",
            "companySize": "100–500",
            "deadline": "1 месяц",
        }))
        .await;
    let free = app
        .submit_ok(json!({
            "email": "free@example.com",
            "budget": "700 тысяч",
            "deadline": "budget_unknown_code",
        }))
        .await;
    let coded = lead(&app, &token, &coded).await;
    assert_eq!(coded["budget"], "budget_1m_5m");
    assert_eq!(coded["companySize"], "size_100_500");
    assert_eq!(coded["deadline"], "deadline_1_month");
    assert_eq!(coded["preferredContactMethod"], "contact_telegram");
    let texts = lead(&app, &token, &texts).await;
    assert_eq!(coded["scoreBreakdown"], texts["scoreBreakdown"]);
    assert_eq!(
        coded["scoreBreakdown"],
        json!({ "budget": 30, "companySize": 20, "urgency": 15 })
    );
    // Free text is kept as typed and read as today (700k → 20; an unknown "code" is text).
    let free = lead(&app, &token, &free).await;
    assert_eq!(free["budget"], "700 тысяч");
    assert_eq!(free["deadline"], "budget_unknown_code");
    assert_eq!(free["scoreBreakdown"]["budget"], 20);
    assert_eq!(free["scoreBreakdown"]["urgency"], 5);
}

async fn old_band_texts_become_codes_with_their_scores_kept(backend: Backend) {
    let (test_db, db) =
        TestDb::migrated_until(backend, "m20261202_000021_accounts_and_choice_codes").await;
    let backend = db.get_database_backend();
    let p = |n: usize| match backend {
        sea_orm::DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    };
    let rows = [
        ("от 5 млн ₽", "500+", "1 неделя", "WhatsApp", 100),
        ("около миллиона", "50–100", "когда-нибудь", "по почте", 40),
    ];
    let mut ids = Vec::new();
    for (i, (budget, size, deadline, contact, score)) in rows.into_iter().enumerate() {
        let id = Uuid::now_v7();
        ids.push(id);
        let sql = format!(
            "INSERT INTO applications (id, name, surname, email, budget, company_size, deadline, \
             preferred_contact_method, score, score_budget, score_company_size, score_urgency, \
             priority, status, search_text, created_at) VALUES ({}, 'Анна', 'Смирнова', \
             'a{i}@example.com', {}, {}, {}, {}, {score}, 0, 0, 0, 'LOW', 'NEW', 'анна', {})",
            p(1),
            p(2),
            p(3),
            p(4),
            p(5),
            p(6)
        );
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                id.into(),
                budget.into(),
                size.into(),
                deadline.into(),
                contact.into(),
                chrono::Utc::now().into(),
            ],
        ))
        .await
        .unwrap();
    }
    let _ = db.close().await;
    let app = TestApp::spawn_with_db(test_db).await;
    let token = app.admin_token().await;
    let mapped = lead(&app, &token, &ids[0].to_string()).await;
    assert_eq!(mapped["budget"], "budget_5m_plus");
    assert_eq!(mapped["companySize"], "size_500_plus");
    assert_eq!(mapped["deadline"], "deadline_1_week");
    assert_eq!(mapped["preferredContactMethod"], "contact_whatsapp");
    let kept = lead(&app, &token, &ids[1].to_string()).await;
    assert_eq!(kept["budget"], "около миллиона");
    assert_eq!(kept["companySize"], "size_50_100");
    assert_eq!(kept["deadline"], "когда-нибудь");
    assert_eq!(kept["preferredContactMethod"], "по почте");

    // Rescoring after the migration gives the codes their bands' points.
    server::leads::rescore::rescore_all(&app.state.db)
        .await
        .unwrap();
    let rescored = lead(&app, &token, &ids[0].to_string()).await;
    assert_eq!(
        rescored["scoreBreakdown"],
        json!({ "budget": 40, "companySize": 30, "urgency": 30 })
    );
}

async fn download(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/export/leads.csv{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn the_people_csv_is_russian_local_and_semicolon_separated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    app.submit_ok(json!({
        "name": "Фёдор",
        "budget": "budget_5m_plus",
        "companySize": "size_500_plus",
        "deadline": "deadline_1_week",
        "preferredContactMethod": "contact_phone",
        "phone": "+7 (912) 555-01-69",
        "additionalComments": "Цена; условия",
    }))
    .await;
    let stored = app
        .gql_as(
            &token,
            "{ leads(first: 1) { nodes { createdAt requestNumber } } }",
            json!({}),
        )
        .await["data"]["leads"]["nodes"][0]
        .clone();
    let created: chrono::DateTime<chrono::Utc> =
        stored["createdAt"].as_str().unwrap().parse().unwrap();

    let response = download(&app, &token, "?format=people&lang=ru&tz=Europe/Moscow").await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"leads-") && !disposition.contains("-data"),
        "named apart from the machine CSV: {disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM first");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Номер;Поступил;Приоритет;Баллы;Баллы за бюджет;Баллы за размер компании;\
         Баллы за срочность;Статус;Причина потери;Первая реакция;Имя;Фамилия;Отчество;\
         Эл. почта;Телефон;Услуга;О бизнесе;Ниша;Размер компании;Бюджет;Срок;Удобное время;\
         Способ связи;Комментарий;Визит"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_owned();
    let moscow = created.with_timezone(&chrono_tz::Europe::Moscow);
    assert_eq!(
        cell("Поступил"),
        moscow.format("%d.%m.%Y %H:%M").to_string()
    );
    assert_eq!(cell("Поступил").len(), 16, "no seconds, no offset");
    // The number the visitor was shown and the card shows, not the id.
    assert_eq!(cell("Номер"), stored["requestNumber"].as_str().unwrap());
    assert_eq!(cell("Приоритет"), "Срочный");
    assert_eq!(cell("Статус"), "Новая");
    assert_eq!(cell("Бюджет"), "от 5 млн ₽");
    assert_eq!(cell("Размер компании"), "500+");
    assert_eq!(cell("Срок"), "1 неделя");
    assert_eq!(cell("Способ связи"), "Телефон");
    assert_eq!(cell("Имя"), "Фёдор");
    assert_eq!(
        cell("Комментарий"),
        "Цена; условия",
        "a ; inside a cell is quoted"
    );

    // English for an English reader; the machine CSV is as it was.
    let english = download(&app, &token, "?format=people&lang=en&tz=UTC").await;
    let text = english.text().await.unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Number,Received,Priority,Score,")
    );
    let row = lines.next().unwrap();
    assert!(row.contains(",Urgent,") && row.contains(",New,"), "{row}");
    assert!(
        row.contains("5M ₽ or more") && row.contains(",Phone,"),
        "{row}"
    );
    assert!(
        row.contains(&created.format("%Y-%m-%d %H:%M").to_string()),
        "{row}"
    );
    let machine = download(&app, &token, "").await.text().await.unwrap();
    let mut lines = machine.trim_start_matches('\u{feff}').lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,created_at,priority,score,")
    );
    let row = lines.next().unwrap();
    assert!(
        row.contains(",URGENT,") && row.contains("budget_5m_plus"),
        "{row}"
    );

    // Bad parameters name themselves.
    for (query, field) in [
        ("?format=xlsx", "format"),
        ("?format=people&lang=de", "lang"),
        ("?format=people&tz=Mars/Olympus", "tz"),
    ] {
        let bad = download(&app, &token, query).await;
        assert_eq!(bad.status(), 400, "{query}");
        let body: Value = bad.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{query}");
        assert_eq!(body["errors"][0]["extensions"]["reason"], "UNKNOWN_VALUE");
    }
}

db_tests!(
    codes_are_stored_and_score_like_their_bands,
    old_band_texts_become_codes_with_their_scores_kept,
    the_people_csv_is_russian_local_and_semicolon_separated,
);
