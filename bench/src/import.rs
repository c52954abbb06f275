//! The import of issue 14: a file of 5,000 work orders for the busiest region
//! through the console, as a supervisor would (sign in, upload, preview,
//! 确认导入), timed in two parts: the preview (the file read, every row
//! checked, nothing written) and the commit (every row written in one
//! transaction). Run last: the 5,000 rows would change what the reads see.

use std::time::{Duration, Instant};

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;

use crate::client::Client;
use crate::error::{Result, failed};

/// How many work orders the file holds.
pub const ROWS: usize = 5_000;

pub struct ImportFigures {
    pub rows: usize,
    pub preview: Duration,
    pub commit: Duration,
}

/// A console session: the session cookie and the token of the last form.
struct Console {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

fn cookie_of(answer: &reqwest::Response, name: &str) -> Option<String> {
    answer
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|line| line.starts_with(&format!("{name}=")))
        .and_then(|line| line.split(';').next())
        .map(str::to_owned)
}

fn csrf_of(page: &str) -> Result<String> {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
        .ok_or_else(|| failed("a console page without its form's token"))
}

impl Console {
    async fn signed_in(base: &str, username: &str, password: &str) -> Result<Self> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let form = http.get(format!("{base}/login")).send().await?;
        let pre = cookie_of(&form, "govcloud_signin")
            .ok_or_else(|| failed("the sign-in page set no cookie"))?;
        let csrf = csrf_of(&form.text().await?)?;
        let signed = http
            .post(format!("{base}/login"))
            .header(COOKIE, pre)
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
            ])
            .send()
            .await?;
        let cookie = cookie_of(&signed, "govcloud_session")
            .ok_or_else(|| failed("the console refused the benchmark's sign-in"))?;
        Ok(Self {
            http,
            base: base.to_owned(),
            cookie,
        })
    }

    async fn get(&self, path: &str) -> Result<(reqwest::StatusCode, String)> {
        let answer = self
            .http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookie)
            .send()
            .await?;
        Ok((answer.status(), answer.text().await?))
    }
}

/// The busiest region's name and one of its vendors' names.
async fn names(admin: &Client, region_id: &str) -> Result<(String, String)> {
    let data = admin
        .must(
            "query($r: ID!) { contracts(filter: {regionId: $r}, limit: 1) {
                items { region { name } vendor { name } } } }",
            json!({ "r": region_id }),
        )
        .await?;
    let contract = &data["contracts"]["items"][0];
    match (
        contract["region"]["name"].as_str(),
        contract["vendor"]["name"].as_str(),
    ) {
        (Some(region), Some(vendor)) => Ok((region.to_owned(), vendor.to_owned())),
        _ => Err(failed("the busiest region has no contracted vendor")),
    }
}

/// The template's columns, 5,000 rows of `region` and `vendor` in `month`.
fn file(region: &str, vendor: &str, month: &str) -> Vec<u8> {
    let mut text = String::from(
        "外部编号,监管区域,云服务商,使用单位,信息系统,标题,批准时间,交付完成时间,与审批不一致,已确认,服务商责任\r\n",
    );
    for i in 0..ROWS {
        let day = 1 + i % 28;
        let hour = 8 + i % 10;
        text += &format!(
            "BENCH-{i:05},{region},{vendor},,,导入工单 {i},{month}-{day:02} {hour:02}:00,{month}-{day:02} {:02}:00,否,是,是\r\n",
            hour + 1
        );
    }
    text.into_bytes()
}

/// Uploads, previews and commits the file; the preview's and the commit's times.
pub async fn five_thousand_work_orders(
    base: &str,
    admin: &Client,
    password: &str,
    region_id: &str,
    month: &str,
) -> Result<ImportFigures> {
    let (region, vendor) = names(admin, region_id).await?;
    let console = Console::signed_in(base, "admin", password).await?;
    let (_, page) = console.get("/imports").await?;
    let csrf = csrf_of(&page)?;
    let part =
        reqwest::multipart::Part::bytes(file(&region, &vendor, month)).file_name("bench.csv");
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("kind", "work-orders")
        .part("file", part);
    let kept = console
        .http
        .post(format!("{base}/imports"))
        .header(COOKIE, &console.cookie)
        .multipart(form)
        .send()
        .await?;
    let batch = kept
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| failed(format!("the upload was not kept ({})", kept.status())))?;
    let started = Instant::now();
    let (status, preview) = console.get(&batch).await?;
    let previewed = started.elapsed();
    if !status.is_success() || !preview.contains(&format!("新增 {ROWS} 行")) {
        return Err(failed(format!("the preview refused the file ({status})")));
    }
    let started = Instant::now();
    let done = console
        .http
        .post(format!("{base}{batch}"))
        .header(COOKIE, &console.cookie)
        .form(&[("csrf", csrf_of(&preview)?)])
        .send()
        .await?;
    let committed = started.elapsed();
    let status = done.status();
    if !done.text().await?.contains(&format!("已导入 {ROWS} 行")) {
        return Err(failed(format!("the import was refused ({status})")));
    }
    Ok(ImportFigures {
        rows: ROWS,
        preview: previewed,
        commit: committed,
    })
}
