//! `TestApp`: a server on port 0 with a fresh database, plus helpers per operation.

use std::{collections::HashMap, path::PathBuf, time::Duration};

use futures_util::{SinkExt, StreamExt};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use server::{
    app::{Application, Background},
    config::Config,
    state::AppState,
};
use tokio::{net::TcpStream, sync::oneshot, task::JoinHandle};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};
use uuid::Uuid;

pub const TEST_SECRET: &str = "3ff88a99f6a3d90a4657c85f7647a5afbc610beed9a2117795ea0480de762b58";
pub const PASSWORD: &str = "correct horse battery";

/// Runs `async fn name(backend: Backend)` once per database: `name::sqlite`, `name::postgres`.
macro_rules! db_tests {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::helpers::Backend::Postgres).await
            }
        }
    )*};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database made for one test and removed when the test ends, even if it panicked.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

impl TestDb {
    pub async fn create(backend: Backend) -> Self {
        the_day_lasts(Duration::from_secs(120)).await;
        match backend {
            Backend::Sqlite => {
                let path =
                    std::env::temp_dir().join(format!("order-desk-test-{}.db", Uuid::new_v4()));
                Self {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    cleanup: Cleanup::SqliteFile(path),
                }
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_DATABASE_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
                let admin = Database::connect(&admin_url).await.unwrap_or_else(|err| {
                    panic!(
                        "PostgreSQL is unreachable at {admin_url}: {err}. The suite needs it: start \
                         it (pg_ctlcluster <version> main start) or set TEST_DATABASE_URL."
                    )
                });
                let name = format!("order_desk_test_{}", Uuid::new_v4().simple());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("CREATE DATABASE");
                let _ = admin.close().await;
                let mut url = reqwest::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    cleanup: Cleanup::PostgresDatabase { admin_url, name },
                }
            }
        }
    }

    /// A fresh database with every migration before `name` applied, to store rows as they
    /// were then; `TestApp::spawn_with_db` applies the rest at start-up.
    pub async fn migrated_until(backend: Backend, name: &str) -> (Self, DatabaseConnection) {
        use migration::MigratorTrait;
        let test_db = Self::create(backend).await;
        let db = Database::connect(&test_db.url)
            .await
            .expect("the test database");
        let before = migration::Migrator::migrations()
            .iter()
            .position(|m| m.name() == name)
            .unwrap_or_else(|| panic!("no migration {name}"));
        migration::Migrator::up(&db, Some(before as u32))
            .await
            .expect("migrated up to it");
        (test_db, db)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime: do the async work on a thread of its own.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async {
                        if let Ok(admin) = Database::connect(&admin_url).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The configuration tests start from: development, no rate limits, a fixed secret.
pub fn test_config(database_url: &str, extra: &[(&str, &str)]) -> Config {
    let root = repo_root();
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), database_url.into()),
        ("BIND_ADDR".into(), "127.0.0.1:0".into()),
        ("JWT_SECRET".into(), TEST_SECRET.into()),
        ("RATE_LIMIT_LOGINS_PER_MINUTE".into(), "0".into()),
        (
            "RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_MINUTE".into(),
            "0".into(),
        ),
        ("RATE_LIMIT_ORDERS_PER_MINUTE".into(), "0".into()),
        ("RATE_LIMIT_METRICS_PER_MINUTE".into(), "0".into()),
        ("STATIC_ROOT".into(), root.display().to_string()),
    ]);
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    Config::from_lookup(|name| vars.get(name).cloned()).expect("test configuration is valid")
}

pub struct TestApp {
    pub base: String,
    pub ws_url: String,
    pub client: reqwest::Client,
    /// A connection of the test's own, for arranging and checking rows directly.
    pub db: DatabaseConnection,
    /// The server's own state (its pool, its event bus).
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
    // Declared last: dropped after the server is asked to stop. Shared with replicas.
    test_db: std::sync::Arc<TestDb>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// Spawns with extra environment-style settings, e.g. `[("APP_ENV", "production")]`.
    pub async fn spawn_with(backend: Backend, extra: &[(&str, &str)]) -> Self {
        Self::start(std::sync::Arc::new(TestDb::create(backend).await), extra).await
    }

    /// Serves a database the test prepared itself.
    pub async fn spawn_with_db(test_db: TestDb) -> Self {
        Self::start(std::sync::Arc::new(test_db), &[]).await
    }

    /// Another server process on the same database, as a second replica behind nginx.
    pub async fn spawn_replica(&self) -> Self {
        Self::start(self.test_db.clone(), &[]).await
    }

    /// Another server process on the same database with its own settings (also a restart:
    /// after `stop`, the next process on the same database).
    pub async fn spawn_replica_with(&self, extra: &[(&str, &str)]) -> Self {
        Self::start(self.test_db.clone(), extra).await
    }

    async fn start(test_db: std::sync::Arc<TestDb>, extra: &[(&str, &str)]) -> Self {
        let config = test_config(&test_db.url, extra);
        // Tests flush, snapshot and purge when they choose: nothing races them.
        let app = Application::build(config)
            .await
            .expect("the application builds")
            .with_background(Background::Manual);
        let addr = app.local_addr().expect("bound address");
        let state = app.state().clone();
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        let db = Database::connect(&test_db.url)
            .await
            .expect("test connection");
        Self {
            base: format!("http://{addr}"),
            ws_url: format!("ws://{addr}/graphql"),
            client: reqwest::Client::new(),
            db,
            state,
            shutdown: Some(tx),
            handle: Some(handle),
            test_db,
        }
    }

    /// Asks for a graceful shutdown and waits for the server to finish.
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.handle.take() {
            Some(handle) => handle.await?,
            None => Ok(()),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs an operation; returns the JSON body (data and errors).
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.gql_with(None, query, variables).await
    }

    pub async fn gql_as(&self, token: &str, query: &str, variables: Value) -> Value {
        self.gql_with(Some(token), query, variables).await
    }

    async fn gql_with(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        assert!(
            response.status().is_success(),
            "HTTP {} for {query}",
            response.status()
        );
        response.json().await.expect("JSON body")
    }

    /// First-run registration, with the setup code production asks for (development ignores
    /// it).
    pub async fn register_admin(&self, email: &str, password: &str) -> Value {
        let code = server::admins::setup::code(TEST_SECRET.as_bytes());
        self.gql(
            "mutation($e: String!, $p: String!, $c: String) { registerAdmin(email: $e, password: $p, setupCode: $c) { token expiresAt admin { id email createdAt } } }",
            json!({ "e": email, "p": password, "c": code }),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.gql(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt admin { id email } } }",
            json!({ "e": email, "p": password }),
        )
        .await
    }

    /// Registers the first admin and returns a token.
    pub async fn admin_token(&self) -> String {
        let body = self.register_admin("owner@example.com", PASSWORD).await;
        body["data"]["registerAdmin"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("registration failed: {body}"))
            .to_owned()
    }

    pub async fn create_service(
        &self,
        token: &str,
        name: &str,
        description: Option<&str>,
    ) -> Value {
        self.gql_as(
            token,
            "mutation($i: ServiceInput!) { createService(input: $i) { id name description createdAt updatedAt } }",
            json!({ "i": { "name": name, "description": description } }),
        )
        .await
    }

    /// Sends an order: `fields` override a minimal valid one (consent given).
    pub async fn submit(&self, fields: Value) -> Value {
        let mut input = json!({"name": "Иван", "surname": "Петров", "email": "ivan@example.com", "consent": true});
        if let (Some(base), Some(extra)) = (input.as_object_mut(), fields.as_object()) {
            for (k, v) in extra {
                base.insert(k.clone(), v.clone());
            }
        }
        self.gql(
            "mutation($i: ApplicationInput!) { submitApplication(input: $i) { id createdAt } }",
            json!({ "i": input }),
        )
        .await
    }

    /// Sends an order and returns its id.
    pub async fn submit_ok(&self, fields: Value) -> String {
        let body = self.submit(fields).await;
        body["data"]["submitApplication"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("order refused: {body}"))
            .to_owned()
    }

    /// Marks a lead as spam (its e-mail and phone go on the spam guard's list).
    pub async fn mark_spam(&self, token: &str, id: &str) {
        let body = self
            .gql_as(
                token,
                "mutation($id: ID!) { markLeadSpam(id: $id, spam: true) { status } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(body["data"]["markLeadSpam"]["status"], "SPAM", "{body}");
    }

    /// The order a stored visit is linked to (converted), if any.
    pub async fn visit_lead(&self, visit_id: Uuid) -> Option<Uuid> {
        use sea_orm::{EntityTrait, QuerySelect};
        use server::db::entities::visit;
        visit::Entity::find_by_id(visit_id)
            .select_only()
            .column(visit::Column::LeadId)
            .into_tuple()
            .one(&self.db)
            .await
            .expect("visit query")
            .unwrap_or_else(|| panic!("visit {visit_id} is not stored"))
    }

    /// Sends a tracker batch; `fields` override a minimal valid one.
    pub async fn send_batch(&self, fields: Value) -> Value {
        let mut input = json!({
            "visitorId": Uuid::new_v4().to_string(), "visitId": Uuid::new_v4().to_string(),
            "seq": 1, "page": "/", "viewportWidth": 1280, "viewportHeight": 800,
            "engagedSeconds": 1, "clicks": [], "points": []
        });
        if let (Some(base), Some(extra)) = (input.as_object_mut(), fields.as_object()) {
            for (k, v) in extra {
                base.insert(k.clone(), v.clone());
            }
        }
        self.gql(
            "mutation($i: MetricsBatchInput!) { submitMetrics(input: $i) }",
            json!({ "i": input }),
        )
        .await
    }

    pub async fn send_batch_ok(&self, fields: Value) {
        let body = self.send_batch(fields).await;
        assert_eq!(body["data"]["submitMetrics"], true, "{body}");
    }

    /// Waits until this server has registered exactly `count` subscriptions. The GraphQL
    /// WebSocket protocol does not confirm a `subscribe`, so a test waits for this before it
    /// makes the change a subscriber must hear (never a retried change or a fixed sleep).
    pub async fn until_subscribed(&self, count: usize) {
        let mut open = self.state.events.subscribers();
        let registered = matches!(
            tokio::time::timeout(
                Duration::from_secs(60),
                open.wait_for(|open| *open == count),
            )
            .await,
            Ok(Ok(_))
        );
        assert!(
            registered,
            "{} subscriptions registered, {count} expected",
            *open.borrow()
        );
    }

    /// Writes what the metrics aggregator holds, as the once-a-second task would, and folds
    /// the heatmap log into the cells, as the background work does within seconds (and every
    /// reader of the cells first): tests read the stored cells directly.
    pub async fn flush_metrics(&self) {
        self.state
            .metrics
            .flush(&self.state.db)
            .await
            .expect("metrics flush");
        server::metrics::cell_log::compact(&self.state.db)
            .await
            .expect("heatmap log compaction");
    }

    /// A PostgreSQL table's or index's storage settings (`reloptions`), comma-separated;
    /// `None` when it has none.
    pub async fn reloptions(&self, relation: &str) -> Option<String> {
        use sea_orm::Statement;
        let row = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                "SELECT array_to_string(reloptions, ',') AS options FROM pg_class \
                 WHERE relname = $1",
                [relation.into()],
            ))
            .await
            .expect("pg_class")
            .unwrap_or_else(|| panic!("{relation} exists"));
        row.try_get("", "options").expect("options")
    }

    pub async fn service_names(&self) -> Vec<String> {
        let body = self.gql("{ services { name } }", json!({})).await;
        names(&body["data"]["services"])
    }

    /// The heatmap's stored cells with points on days matching `days` (SQL on `day`, "TRUE"
    /// for all): how many cells, and their points. PostgreSQL keeps rows of column counts
    /// (`heatmap_rows`), SQLite a row per cell (`heatmap_cells`); points still in the heatmap
    /// log are not counted (see [`Self::flush_metrics`]).
    pub async fn stored_heatmap(&self, days: &str) -> StoredHeatmap {
        use sea_orm::Statement;
        let backend = self.db.get_database_backend();
        let sql = match backend {
            sea_orm::DbBackend::Postgres => format!(
                "SELECT COUNT(*)::int8 AS cells, COALESCE(SUM(n), 0)::int8 AS points \
                 FROM heatmap_rows, unnest(counts) AS n WHERE n <> 0 AND ({days})"
            ),
            _ => format!(
                "SELECT COUNT(*) AS cells, CAST(COALESCE(SUM(count), 0) AS BIGINT) AS points \
                 FROM heatmap_cells WHERE {days}"
            ),
        };
        let row = self
            .db
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .expect("stored heatmap")
            .expect("a row");
        StoredHeatmap {
            cells: row.try_get("", "cells").expect("cells"),
            points: row.try_get("", "points").expect("points"),
        }
    }

    /// The days the heatmap has stored cells on, in order.
    pub async fn stored_heatmap_days(&self) -> Vec<chrono::NaiveDate> {
        use sea_orm::Statement;
        let backend = self.db.get_database_backend();
        let table = match backend {
            sea_orm::DbBackend::Postgres => "heatmap_rows",
            _ => "heatmap_cells",
        };
        self.db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT DISTINCT day FROM {table} ORDER BY day"),
            ))
            .await
            .expect("heatmap days")
            .into_iter()
            .map(|row| row.try_get("", "day").expect("day"))
            .collect()
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{FromQueryResult, Statement};
        #[derive(FromQueryResult)]
        struct Count {
            n: i64,
        }
        let backend = self.db.get_database_backend();
        Count::find_by_statement(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .one(&self.db)
        .await
        .expect("count query")
        .expect("one row")
        .n
    }

    /// An admin's `leadCreated { id }` subscription (operation id `leads`), registered on this
    /// server (the only subscription open) before it returns.
    pub async fn subscribe_to_leads(&self, token: &str) -> WsClient {
        let mut ws = self
            .ws_connect(json!({ "Authorization": format!("Bearer {token}") }))
            .await
            .expect("an admin's socket connects");
        ws.subscribe("leads", "subscription { leadCreated { id } }")
            .await;
        self.until_subscribed(1).await;
        ws
    }

    /// Opens a graphql-transport-ws connection; `init` is the `connection_init` payload.
    pub async fn ws_connect(&self, init: Value) -> Result<WsClient, String> {
        let mut request = self
            .ws_url
            .as_str()
            .into_client_request()
            .expect("ws request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let (mut stream, _) = connect_async(request).await.map_err(|e| e.to_string())?;
        stream
            .send(Message::text(
                json!({"type": "connection_init", "payload": init}).to_string(),
            ))
            .await
            .map_err(|e| e.to_string())?;
        let mut client = WsClient { stream };
        match client.next_json().await {
            Some(msg) if msg["type"] == "connection_ack" => Ok(client),
            other => Err(format!("no connection_ack: {other:?}")),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub struct WsClient {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl WsClient {
    pub async fn subscribe(&mut self, id: &str, query: &str) {
        self.stream
            .send(Message::text(
                json!({"type": "subscribe", "id": id, "payload": {"query": query}}).to_string(),
            ))
            .await
            .expect("subscribe sent");
    }

    /// Closes the socket the WebSocket way and waits for the server to confirm the close.
    pub async fn close(mut self) {
        self.stream.close(None).await.expect("close sent");
        while let Some(Ok(message)) = self.stream.next().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    }

    pub async fn complete(&mut self, id: &str) {
        self.stream
            .send(Message::text(
                json!({"type": "complete", "id": id}).to_string(),
            ))
            .await
            .expect("complete sent");
    }

    /// The next JSON message, or `None` if the socket closed or nothing came within `wait`.
    pub async fn next_json_within(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let message = tokio::time::timeout(wait, self.stream.next())
                .await
                .ok()??
                .ok()?;
            match message {
                Message::Text(text) => {
                    let value: Value = serde_json::from_str(&text).ok()?;
                    if value["type"] == "ping" {
                        let _ = self
                            .stream
                            .send(Message::text(json!({"type": "pong"}).to_string()))
                            .await;
                        continue;
                    }
                    return Some(value);
                }
                Message::Close(frame) => {
                    return Some(
                        json!({"type": "close", "code": frame.map(|f| u16::from(f.code))}),
                    );
                }
                _ => continue,
            }
        }
    }

    pub async fn next_json(&mut self) -> Option<Value> {
        self.next_json_within(Duration::from_secs(10)).await
    }
}

pub fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("expected a list, got {list}"))
        .iter()
        .map(|s| s["name"].as_str().expect("name").to_owned())
        .collect()
}

/// Asserts the body failed with `code` (and names `field`, when given).
#[track_caller]
pub fn assert_error(body: &Value, code: &str, field: Option<&str>) {
    let error = &body["errors"][0];
    assert_eq!(
        error["extensions"]["code"], code,
        "unexpected error in {body}"
    );
    if let Some(field) = field {
        assert_eq!(
            error["extensions"]["field"], field,
            "unexpected field in {body}"
        );
    }
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "an error needs a message: {body}"
    );
}

/// Waits out the turn of the day when it is closer than `margin`. Tests send visits and orders
/// at the real time and read "today" back (statistics, the heatmap, day filters): one that ran
/// across midnight UTC, the tests' business time zone, would find its own visits in two days.
/// Every test starts here (a fresh database) and none runs for two minutes.
pub async fn the_day_lasts(margin: Duration) {
    let now = chrono::Utc::now();
    let midnight = (now.date_naive() + chrono::Days::new(1))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let left = (midnight - now).to_std().unwrap_or_default();
    if left < margin {
        // Until the date is a later one: polled, since only the wall clock says the day turned.
        let today = now.date_naive();
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        while chrono::Utc::now().date_naive() == today {
            tick.tick().await;
        }
    }
}

/// Today at midday UTC: the business day (UTC) has settled whenever a test runs, so heatmap
/// snapshots may be built for it.
pub fn midday_today() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .expect("midday exists")
        .and_utc()
}

/// See [`TestApp::stored_heatmap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredHeatmap {
    pub cells: i64,
    pub points: i64,
}
