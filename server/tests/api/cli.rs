//! The `server` binary itself: configuration refusal, CLI commands, schema drift, SIGTERM.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::Duration,
};

use crate::helpers::{Backend, PASSWORD, TEST_SECRET, TestApp, TestDb, repo_root};

fn server() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    // A clean environment: nothing from the developer's shell or a .env leaks in.
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(std::env::temp_dir());
    command
}

#[test]
fn production_refuses_to_start_without_a_secret() {
    let output = server().env("APP_ENV", "production").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.trim(),
        "configuration error: JWT_SECRET: required in production (e.g. `openssl rand -hex 32`)"
    );

    let output = server()
        .env("APP_ENV", "production")
        .env("JWT_SECRET", "too-short")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("JWT_SECRET: must be at least 32 bytes")
    );
}

#[test]
fn a_bad_setting_stops_the_server_naming_the_variable() {
    for (var, value) in [
        ("BIND_ADDR", "nowhere"),
        ("TOKEN_TTL", "soon"),
        ("DATABASE_URL", "mysql://x"),
    ] {
        let output = server().env(var, value).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{var}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "one clear line: {stderr}");
        assert!(
            stderr.starts_with(&format!("configuration error: {var}: ")),
            "{stderr}"
        );
    }
}

#[test]
fn schema_graphql_matches_the_server() {
    let output = server().arg("export-schema").output().unwrap();
    assert!(output.status.success());
    let exported = String::from_utf8(output.stdout).unwrap();
    let committed = std::fs::read_to_string(repo_root().join("schema.graphql")).unwrap_or_default();
    assert!(
        exported == committed,
        "schema.graphql is out of date with the server's types. Regenerate it with `make schema` \
         (cargo run --bin server -- export-schema > schema.graphql) and commit it."
    );
}

async fn create_admin_then_sign_in(backend: Backend) {
    let db = TestDb::create(backend).await;
    let migrate = server()
        .env("DATABASE_URL", &db.url)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );

    let create = |email: &str, password: &str| {
        server()
            .env("DATABASE_URL", &db.url)
            .env("ADMIN_PASSWORD", password)
            .args(["create-admin", "--email", email])
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let ok = create("Cli@Example.com", PASSWORD);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("created admin cli@example.com"));
    let short = create("second@example.com", "short");
    assert!(!short.status.success());
    assert!(
        String::from_utf8_lossy(&short.stderr).contains("password: Password must be at least 12")
    );
    let weak = create("second@example.com", "password1234");
    assert!(!weak.status.success());
    assert!(
        String::from_utf8_lossy(&weak.stderr).contains("password: Password is too easy to guess")
    );
    let again = create("cli@example.com", PASSWORD);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let second = create("second@example.com", PASSWORD);
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );

    // The server on the same database: both sign in, and first-run registration is closed.
    let app = TestApp::spawn_with_db(db).await;
    for email in ["cli@example.com", "second@example.com"] {
        let login = app.login(email, PASSWORD).await;
        assert!(login["data"]["login"]["token"].is_string(), "{login}");
    }
    let register = app.register_admin("late@example.com", PASSWORD).await;
    crate::helpers::assert_error(&register, "FORBIDDEN", None);
}

async fn the_binary_serves_and_stops_on_sigterm(backend: Backend) {
    let db = TestDb::create(backend).await;
    let mut child = server()
        .env("DATABASE_URL", &db.url)
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("JWT_SECRET", TEST_SECRET)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let addr = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.contains("listening").then(|| {
                line.split("addr=")
                    .nth(1)
                    .map(|rest| rest.split_whitespace().next().unwrap_or("").to_owned())
            })?
        })
        .expect("the server logs its address");
    // reqwest brings no TLS crypto of its own here (the server picks ring); no app in this
    // process has installed it yet.
    server::notify::install_crypto_provider();
    let health = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "graceful shutdown exits 0, got {exit}");
}

db_tests!(
    create_admin_then_sign_in,
    the_binary_serves_and_stops_on_sigterm
);
