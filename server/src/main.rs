//! `server` CLI: serve (default), migrate, create-admin, export-schema.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use server::{
    admins,
    app::Application,
    config::Config,
    db, demo,
    events::Events,
    graphql, http, leads, telemetry,
    values::{Email, Password},
};

// mimalloc: glibc's malloc was a tenth of the tracker path's CPU. Built without transparent
// huge pages, which round its arenas up to 2 MB pages (+30 MB resident under tracker load).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", version, about = "Order Desk API server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Create an admin account. The password comes from ADMIN_PASSWORD or a prompt.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Set an admin's password (from ADMIN_PASSWORD or a prompt); ends their other sessions.
    SetPassword {
        #[arg(long)]
        email: String,
    },
    /// Delete an admin account; their sessions end at once.
    DeleteAdmin {
        #[arg(long)]
        email: String,
    },
    /// End every session (of one admin with --email): signed-in admins must sign in again.
    RevokeSessions {
        #[arg(long)]
        email: Option<String>,
    },
    /// Print the GraphQL schema (SDL); `schema.graphql` is this output.
    ExportSchema,
    /// Recompute every lead's score with the current rules.
    Rescore,
    /// Fill an empty database with demo services and a month of orders.
    SeedDemo,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::ExportSchema) = cli.command {
        print!("{}", graphql::sdl());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.app_env.is_production());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            config.resolve_dev_secret()?;
            let app = Application::build(config).await?;
            app.run_until(http::shutdown_signal()).await
        }
        Command::Migrate => {
            let db = db::connect(&config.database_url).await?;
            db::migrate(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::CreateAdmin { email } => create_admin(&config, &email).await,
        Command::SetPassword { email } => {
            let email = Email::parse("email", &email).map_err(describe)?;
            let password = read_password(&email)?;
            let db = connect_migrated(&config).await?;
            let admin = admins::set_password(&db, &Events::publisher(&db), &email, password)
                .await
                .map_err(describe)?;
            println!(
                "password changed for {}; their other sessions ended",
                admin.email
            );
            Ok(())
        }
        Command::DeleteAdmin { email } => {
            let email = Email::parse("email", &email).map_err(describe)?;
            let db = connect_migrated(&config).await?;
            admins::delete(&db, &Events::publisher(&db), &email)
                .await
                .map_err(describe)?;
            println!("deleted admin {}", email.as_str());
            Ok(())
        }
        Command::RevokeSessions { email } => {
            let email = email
                .map(|e| Email::parse("email", &e))
                .transpose()
                .map_err(describe)?;
            let db = connect_migrated(&config).await?;
            let count = admins::revoke_sessions(&db, &Events::publisher(&db), email.as_ref())
                .await
                .map_err(describe)?;
            println!("ended every session of {count} admin(s)");
            Ok(())
        }
        Command::ExportSchema => Ok(()),
        Command::Rescore => {
            let db = connect_migrated(&config).await?;
            let report = leads::rescore::rescore_all(&db).await.map_err(describe)?;
            println!(
                "rescored: {} leads checked, {} changed",
                report.checked, report.changed
            );
            Ok(())
        }
        Command::SeedDemo => {
            let db = connect_migrated(&config).await?;
            let report = demo::seed(&db, config.timezone).await.map_err(describe)?;
            println!(
                "demo data: {} services, {} orders, {} visits",
                report.services, report.orders, report.visits
            );
            Ok(())
        }
    }
}

/// From ADMIN_PASSWORD, or asked twice on the terminal; the policy knows whose it is.
fn read_password(email: &Email) -> anyhow::Result<Password> {
    let password = match std::env::var("ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let first = rpassword::prompt_password("Password: ").context("reading the password")?;
            let again = rpassword::prompt_password("Repeat: ").context("reading the password")?;
            anyhow::ensure!(first == again, "the passwords do not match");
            first
        }
    };
    Password::parse_for("password", &password, &[email.as_str()]).map_err(describe)
}

async fn create_admin(config: &Config, email: &str) -> anyhow::Result<()> {
    let email = Email::parse("email", email).map_err(describe)?;
    let password = read_password(&email)?;
    let db = connect_migrated(config).await?;
    let admin = admins::create(&db, email, password)
        .await
        .map_err(describe)?;
    println!("created admin {} ({})", admin.email, admin.id);
    Ok(())
}

async fn connect_migrated(config: &Config) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    Ok(db)
}

/// The error as a person at the terminal should read it (internal causes keep their chain).
fn describe(err: server::error::AppError) -> anyhow::Error {
    match err {
        server::error::AppError::Internal(cause) => cause,
        other => {
            let client = other.into_client();
            match client.field {
                Some(field) => anyhow::anyhow!("{field}: {}", client.message),
                None => anyhow::anyhow!("{}", client.message),
            }
        }
    }
}
