//! `govcloud run-due [--at <instant>]`: one round of every scheduled job
//! (`jobs::scheduler::run_due`), as the cron would run it at `--at` (default
//! now), then exit.

use chrono::{DateTime, Utc};

use crate::config::Config;

pub async fn run_due_once(config: &Config, args: &[String]) -> Result<(), String> {
    let now = match args {
        [] => Utc::now(),
        [flag, at] if flag == "--at" => DateTime::parse_from_rfc3339(at)
            .map_err(|e| format!("--at: {at:?} is not an RFC 3339 instant ({e})"))?
            .with_timezone(&Utc),
        _ => return Err("usage: govcloud run-due [--at 2025-04-05T02:00:00+08:00]".to_owned()),
    };
    let db = domain::db::connect(&config.database_url, config.pool())
        .await
        .map_err(|e| format!("database: {e}"))?;
    let schedule = config.schedule.clone().unwrap_or_default();
    let lease = jobs::leases::Lease::for_this_process(config.lease);
    let round = jobs::scheduler::run_due(&db, &schedule, &lease, now)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "monthly runs: {}, annual runs: {}, risk notices: {}, breach proposals: {}, exit-duty notices: {}",
        round.monthly, round.annual, round.risk_notices, round.breach_proposals, round.exit_notices
    );
    Ok(())
}
