#![recursion_limit = "256"]
use api::config::Config;
use api::startup::Application;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    api::telemetry::init();
    let run = async {
        let config = Config::from_env().map_err(|e| format!("configuration: {e}"))?;
        let app = Application::build(config)
            .await
            .map_err(|e| e.to_string())?;
        app.run().await.map_err(|e| e.to_string())
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
