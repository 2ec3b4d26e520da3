//! Command line: `serve`, `worker`, `extract` (the extraction child), `admin migrate |
//! seed-demo | create-staff |
//! assign-staff | disable-user | enable-user | create-api-token | sweep-orphans`. Loads `.env`
//! outside production, validates the configuration before anything else, and exits
//! non-zero with one line naming the problem.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tokio::sync::watch;

use super::config::{AppEnv, Config};
use super::{db, startup, telemetry, worker};

#[derive(Parser)]
#[command(
    name = "ledgerlens",
    version,
    about = "Validated, explained numbers from property financial packages"
)]
struct Cli {
    /// Defaults to `serve` (what `cargo leptos watch` runs, with no arguments).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (pages, server functions, API); runs a worker too unless RUN_WORKER=false.
    Serve,
    /// Run background workers only.
    Worker,
    /// Extract one document read from standard input and print the result as JSON (what
    /// workers run in a child process; see `jobs::sandbox`).
    #[command(hide = true)]
    Extract {
        /// pdf, csv or xlsx.
        #[arg(long)]
        format: String,
        /// balance_sheet, income_statement, cash_flow, rent_roll or gl_export.
        #[arg(long)]
        doc_type: Option<String>,
        /// Tests only: allocate until the memory cap ends the process.
        #[arg(long)]
        test_balloon: bool,
    },
    /// Operator tasks.
    Admin {
        #[command(subcommand)]
        task: AdminTask,
    },
}

#[derive(Subcommand)]
enum AdminTask {
    /// Apply pending database migrations (as the owner role: DATABASE_OWNER_URL).
    Migrate,
    /// Create the demo organizations, accounts and properties (idempotent).
    SeedDemo,
    /// Create a staff account, or give an existing account a staff role.
    CreateStaff {
        #[arg(long)]
        email: String,
        /// superuser or support.
        #[arg(long)]
        role: String,
        /// Display name of a new account.
        #[arg(long)]
        name: Option<String>,
        /// Read the new account's password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Assign a support staff account to a tenant.
    AssignStaff {
        #[arg(long)]
        email: String,
        /// The tenant's slug.
        #[arg(long)]
        org: String,
    },
    /// Disable an account: it cannot log in and its sessions end at once.
    DisableUser {
        #[arg(long)]
        email: String,
    },
    /// Re-enable a disabled account.
    EnableUser {
        #[arg(long)]
        email: String,
    },
    /// Delete stored objects that no document names (left by a crash mid-upload).
    SweepOrphans {
        /// Leave objects younger than this alone (uploads in flight).
        #[arg(long, default_value_t = 60)]
        older_than_minutes: u64,
    },
    /// Create an API token for an organization; prints the token alone on the last line.
    CreateApiToken {
        /// The organization's slug.
        #[arg(long)]
        org: String,
        /// What the token is for, e.g. "nightly import".
        #[arg(long)]
        name: String,
        /// viewer, editor or admin.
        #[arg(long, default_value = "editor")]
        role: String,
    },
}

/// Entry point of the binary.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The extraction child needs no configuration, database or logging.
    if let Some(Command::Extract {
        format,
        doc_type,
        test_balloon,
    }) = &cli.command
    {
        return super::jobs::sandbox::child_main(format, doc_type.as_deref(), *test_balloon);
    }
    if std::env::var("APP_ENV").as_deref() != Ok("production") {
        // A missing .env is normal; a malformed one is worth a line.
        if let Err(err) = dotenvy::dotenv()
            && !err.not_found()
        {
            eprintln!("ledgerlens: could not read .env: {err}");
            return ExitCode::from(2);
        }
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(err) => {
            eprintln!("ledgerlens: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);

    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Worker => run_worker(config).await,
        Command::Admin {
            task: AdminTask::Migrate,
        } => migrate(config).await,
        Command::Admin {
            task: AdminTask::SeedDemo,
        } => seed_demo(config).await,
        Command::Admin { task } => operator(config, task).await,
        Command::Extract { .. } => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "stopped with an error");
            eprintln!("ledgerlens: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves when SIGTERM or Ctrl-C arrives.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown signal received");
}

/// Refuses to serve through a role that would silently switch row-level security off.
async fn check_app_role(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let probe = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        db::system::current_role(pool),
    );
    match probe.await.unwrap_or(Err(sqlx::Error::PoolTimedOut)) {
        Ok(role) if role.superuser || role.bypass_rls => anyhow::bail!(
            "DATABASE_URL connects as {:?}, which is superuser or BYPASSRLS; row-level security \
             would not apply. Connect as the app role {}",
            role.name,
            db::APP_ROLE
        ),
        Ok(_) => Ok(()),
        Err(err) => {
            tracing::warn!(error = %err, "database not reachable yet; /readyz reports it");
            Ok(())
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let run_worker = config.run_worker;
    let options = startup::leptos_options()?;
    let addr = options.site_addr;
    let state = startup::build_state(config, options).await?;
    check_app_role(&state.db).await?;

    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = run_worker.then(|| tokio::spawn(worker::run(state.clone(), stop_rx)));
    let upkeep = {
        let handle = state.metrics.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
            loop {
                tick.tick().await;
                handle.run_upkeep();
            }
        })
    };

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (LEPTOS_SITE_ADDR): {e}"))?;
    // Log the bound address: with port 0 the OS picks one and this is how callers learn it.
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening on http://{addr}");
    // Connect info: the client address for the login throttle and audit events.
    axum::serve(
        listener,
        startup::build_router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;

    let _ = stop_tx.send(true);
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    upkeep.abort();
    Ok(())
}

async fn run_worker(config: Config) -> anyhow::Result<()> {
    let state = startup::build_state(config, startup::leptos_options()?).await?;
    check_app_role(&state.db).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let task = tokio::spawn(worker::run(state, stop_rx));
    shutdown_signal().await;
    let _ = stop_tx.send(true);
    task.await?;
    Ok(())
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    let url = match &config.database_owner_url {
        Some(url) => url.expose().clone(),
        None => {
            if config.app_env == AppEnv::Production {
                anyhow::bail!("DATABASE_OWNER_URL is required for migrations in production");
            }
            tracing::warn!("DATABASE_OWNER_URL not set; migrating through DATABASE_URL");
            config.database_url.expose().clone()
        }
    };
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect with DATABASE_OWNER_URL: {e}"))?;
    db::migrate(&pool).await?;
    tracing::info!("migrations applied");
    Ok(())
}

async fn seed_demo(config: Config) -> anyhow::Result<()> {
    let pool = db::lazy_pool(config.database_url.expose(), 2)?;
    let hash = crate::server::auth::password::hash(db::seed::DEMO_PASSWORD.into())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let org = db::seed::seed_demo(&pool, &hash).await?;
    tracing::info!(org_id = %org, slug = db::seed::DEMO_ORG_SLUG, "demo data ready");
    Ok(())
}

/// The operator tasks that go through services (validation, audit events).
async fn operator(config: Config, task: AdminTask) -> anyhow::Result<()> {
    use crate::server::services::staff;
    use crate::shared::StaffRole;
    let state = startup::build_state(config, startup::leptos_options()?).await?;
    let describe = |e: crate::server::error::AppError| match e {
        crate::server::error::AppError::NotFound => {
            anyhow::anyhow!("no such account or organization")
        }
        other => anyhow::anyhow!("{}", other.public_message()),
    };
    match task {
        AdminTask::CreateStaff {
            email,
            role,
            name,
            password_stdin,
        } => {
            let role = StaffRole::parse(&role)
                .filter(|r| r.is_staff())
                .ok_or_else(|| anyhow::anyhow!("--role must be superuser or support"))?;
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                Some(line.trim_end_matches(['\r', '\n']).to_string())
            } else {
                None
            };
            match staff::create_staff(&state, &email, name.as_deref(), role, password)
                .await
                .map_err(describe)?
            {
                staff::StaffCreated::Promoted(_) => println!("{email} is now {}", role.as_str()),
                staff::StaffCreated::Created { password, .. } if !password.is_empty() => {
                    println!(
                        "created {email} as {}; password (shown once):",
                        role.as_str()
                    );
                    println!("{password}");
                }
                staff::StaffCreated::Created { .. } => {
                    println!("created {email} as {}", role.as_str())
                }
            }
        }
        AdminTask::AssignStaff { email, org } => {
            staff::assign(&state, &email, &org)
                .await
                .map_err(describe)?;
            println!("{email} is assigned to {org}");
        }
        AdminTask::DisableUser { email } => {
            staff::set_disabled(&state, &email, true)
                .await
                .map_err(describe)?;
            println!("{email} is disabled; its sessions have ended");
        }
        AdminTask::EnableUser { email } => {
            staff::set_disabled(&state, &email, false)
                .await
                .map_err(describe)?;
            println!("{email} is enabled");
        }
        AdminTask::CreateApiToken { org, name, role } => {
            let token = crate::server::services::api_tokens::create_for_operator(
                &state, &org, &name, &role,
            )
            .await
            .map_err(describe)?;
            println!("API token {name:?} ({role}) for {org}; it is shown only now:");
            println!("{token}");
        }
        AdminTask::SweepOrphans { older_than_minutes } => {
            let grace = std::time::Duration::from_secs(older_than_minutes * 60);
            let r = crate::server::services::sweep::sweep_orphans(&state, grace)
                .await
                .map_err(describe)?;
            println!(
                "scanned {} objects, deleted {} orphans, left {} younger than {older_than_minutes} min",
                r.scanned, r.deleted, r.too_young
            );
        }
        AdminTask::Migrate | AdminTask::SeedDemo => unreachable!("handled above"),
    }
    Ok(())
}
