#![recursion_limit = "256"]
//! `govcloud` serves the API; `govcloud run-due [--at <RFC 3339 instant>]` runs
//! the scheduled jobs that are due once and exits (for operators, and for the
//! test that races two processes); `govcloud generate …` fills the database
//! with a province-scale data set (see `api::generate`).

use api::config::Config;
use api::startup::Application;

/// A ranking's answer is built from and serialised as thousands of small
/// values; glibc's allocator was a sixth of the server's CPU under load
/// (issue 17's profile), mimalloc's costs a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    api::telemetry::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let run = async {
        let config = Config::from_env().map_err(|e| format!("configuration: {e}"))?;
        match args.first().map(String::as_str) {
            None | Some("serve") => {
                let app = Application::build(config)
                    .await
                    .map_err(|e| e.to_string())?;
                app.run().await.map_err(|e| e.to_string())
            }
            Some("run-due") => {
                api::run_due::run_due_once(&config, args.get(1..).unwrap_or_default()).await
            }
            Some("generate") => {
                api::generate::run(&config, args.get(1..).unwrap_or_default()).await
            }
            Some(other) => Err(format!(
                "unknown command {other:?}; use serve, run-due or generate"
            )),
        }
    };
    match run.await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
