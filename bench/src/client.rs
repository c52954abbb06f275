//! A GraphQL client for setting up and checking: sign-in, queries that must not
//! fail, and a counter read off `/metrics`.

use serde_json::{Value, json};

use crate::error::{Result, failed};

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    pub endpoint: String,
    base: String,
    pub token: Option<String>,
}

impl Client {
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            endpoint: format!("{base}/graphql"),
            base: base.to_owned(),
            token: None,
        }
    }

    pub async fn signed_in(base: &str, username: &str, password: &str) -> Result<Self> {
        let mut client = Self::new(base);
        let data = client
            .must(
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                json!({ "u": username, "p": password }),
            )
            .await?;
        client.token = data["login"]["token"].as_str().map(str::to_owned);
        Ok(client)
    }

    /// The data of a query that must succeed.
    pub async fn must(&self, query: &str, variables: Value) -> Result<Value> {
        let mut request = self
            .http
            .post(&self.endpoint)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let answer: Value = request.send().await?.json().await?;
        match answer.get("errors") {
            Some(errors) if !errors.is_null() => Err(failed(format!(
                "{}: {errors}",
                query
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ")
            ))),
            _ => Ok(answer["data"].clone()),
        }
    }

    /// A counter or gauge from `/metrics`, summed over its labels.
    pub async fn metric(&self, name: &str) -> Result<f64> {
        let text = self
            .http
            .get(format!("{}/metrics", self.base))
            .send()
            .await?
            .text()
            .await?;
        let mut found = None;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((key, value)) = line.rsplit_once(' ') else {
                continue;
            };
            let metric = key.split('{').next().unwrap_or(key);
            if metric == name {
                let v: f64 = value.parse().unwrap_or(0.0);
                found = Some(found.unwrap_or(0.0) + v);
            }
        }
        found.ok_or_else(|| failed(format!("/metrics has no {name}")))
    }
}
