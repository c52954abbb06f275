//! PostGraphile 4 on the same PostgreSQL database, started by
//! `bench/postgraphile/run.sh`, serving the equivalent of the ranking read: the
//! region's monthly results for a month, best first, with the vendor's name and
//! the stored breakdown.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::process::{Child, Command};

use crate::error::{Result, failed, io};

pub const RANKING: &str = "query Ranking($r: BigInt!, $p: String!) {
  allAssessmentResults(condition: {regionId: $r, kind: \"MONTHLY\", period: $p}, orderBy: TOTAL_DESC) {
    nodes { id revision total passed published document vendorByVendorId { name } } } }";

pub struct PostGraphile {
    child: Child,
    pub endpoint: String,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("postgraphile/run.sh")
}

impl PostGraphile {
    pub async fn start(database_url: &str, port: u16) -> Result<Self> {
        let child = Command::new(script())
            .args([database_url, &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(io("bench/postgraphile/run.sh (needs node and npm)"))?;
        let endpoint = format!("http://127.0.0.1:{port}/graphql");
        let me = Self { child, endpoint };
        me.wait_ready().await?;
        Ok(me)
    }

    async fn wait_ready(&self) -> Result<()> {
        // npm ci on first use takes a while; then PostGraphile introspects the schema.
        let client = reqwest::Client::new();
        for _ in 0..1200 {
            let probe = client
                .post(&self.endpoint)
                .json(&json!({ "query": "{ __typename }" }))
                .send()
                .await;
            if probe.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Err(failed("PostGraphile did not answer within 5 minutes"))
    }

    /// The number of rows the read returns, checked before it is loaded.
    pub async fn check(&self, body: &Value) -> Result<usize> {
        let answer: Value = reqwest::Client::new()
            .post(&self.endpoint)
            .json(body)
            .send()
            .await?
            .json()
            .await?;
        if answer.get("errors").is_some_and(|e| !e.is_null()) {
            return Err(failed(format!("PostGraphile: {}", answer["errors"])));
        }
        Ok(answer["data"]["allAssessmentResults"]["nodes"]
            .as_array()
            .map_or(0, Vec::len))
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
