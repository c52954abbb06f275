//! The browser harness: `Driver` is a `chromedriver` on a free local port
//! (killed when dropped); `Browser` is one headless Chromium session (1280×900,
//! zh-CN) on one app, with what a scenario does as a person would: open a
//! page, sign in through the form, fill inputs, pick options, click, and take a
//! screenshot.

use std::future::Future;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use e2e::TestApp;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// What the harness needs on the machine, and the Debian package that has it.
const NEEDS: [(&str, &str); 2] = [
    ("/usr/bin/chromium", "chromium"),
    ("/usr/bin/chromedriver", "chromium-driver"),
];

/// How long a page may take to come (the debug server on a busy CI machine).
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `chromedriver`, stopped when dropped.
pub struct Driver {
    process: Child,
    url: String,
}

impl Driver {
    /// Starts `chromedriver` on a free port; panics, naming the package to
    /// install, when the browser, the driver or the CJK fonts are missing.
    pub fn start() -> Self {
        for (path, package) in NEEDS {
            assert!(
                Path::new(path).exists(),
                "{path} is missing: install Debian's `{package}` (apt-get install -y chromium chromium-driver fonts-noto-cjk; .ci/run does it)"
            );
        }
        assert!(
            has_cjk_fonts(),
            "no Chinese font: install Debian's `fonts-noto-cjk` (apt-get install -y fonts-noto-cjk), or the screenshots show boxes"
        );
        let port = free_port();
        let process = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts (Debian's `chromium-driver`)");
        let driver = Self {
            process,
            url: format!("http://127.0.0.1:{port}"),
        };
        driver.wait_until_listening(port);
        driver
    }

    fn wait_until_listening(&self, port: u16) {
        let since = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                since.elapsed() < PATIENCE,
                "chromedriver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs one scenario, naming it when it fails.
    pub async fn scenario<'a, F, Fut>(&'a self, name: &str, scenario: F)
    where
        F: FnOnce(&'a Driver) -> Fut,
        Fut: Future<Output = ()> + 'a,
    {
        let since = Instant::now();
        eprintln!("browser scenario: {name}");
        scenario(self).await;
        eprintln!(
            "browser scenario: {name}: passed in {:.1?}",
            since.elapsed()
        );
    }

    /// A new headless Chromium session on `app`: 1280×900, in Chinese.
    pub async fn browser(&self, app: &TestApp) -> Browser {
        let mut args = vec![
            "--headless=new",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            "--lang=zh-CN",
        ];
        if running_as_root() {
            // Chromium's sandbox refuses to run as root (CI containers).
            args.push("--no-sandbox");
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                "prefs": { "intl.accept_languages": "zh-CN" },
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("an object")
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a headless Chromium session");
        Browser {
            client,
            base: app.base.clone(),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A font with Chinese glyphs, as fontconfig (which Chromium uses) sees it.
fn has_cjk_fonts() -> bool {
    Command::new("fc-list")
        .arg(":lang=zh-cn")
        .output()
        .is_ok_and(|o| !o.stdout.is_empty())
}

/// Where screenshots go: `<target>/console-screenshots/`.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("console-screenshots")
}

/// One browser session on one app.
pub struct Browser {
    pub client: Client,
    base: String,
}

impl Browser {
    /// Opens `path` (`/surveys/new`) of the app.
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The path and query of the page shown (`/login?next=%2Fnotices%2F1`).
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("the current URL");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the page shown is `path` (query ignored).
    pub async fn wait_for_path(&self, path: &str) {
        let since = Instant::now();
        loop {
            let url = self.client.current_url().await.expect("the current URL");
            if url.path() == path {
                return;
            }
            assert!(
                since.elapsed() < PATIENCE,
                "still on {} waiting for {path}",
                url.path()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The text of the page as shown.
    pub async fn text(&self) -> String {
        self.find("body")
            .await
            .text()
            .await
            .expect("the page's text")
    }

    /// The first element matching a CSS selector, waited for.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => panic!("no {css} on {}: {e}", self.path().await),
        }
    }

    /// Types `value` into the input or textarea named `name`, replacing its text.
    pub async fn fill(&self, name: &str, value: &str) {
        let field = self.find(&format!("[name=\"{name}\"]")).await;
        field.clear().await.expect("the field clears");
        field.send_keys(value).await.expect("the field takes keys");
    }

    /// Sets the value of a date or time input (`2025-12-20`,
    /// `2025-03-05T08:30`), whose typing order depends on the locale.
    pub async fn set_value(&self, name: &str, value: &str) {
        let field = self.find(&format!("[name=\"{name}\"]")).await;
        self.client
            .execute(
                "arguments[0].value = arguments[1];",
                vec![serde_json::to_value(&field).unwrap(), json!(value)],
            )
            .await
            .expect("the value is set");
    }

    /// Picks the option shown as `label` in the select named `name`.
    pub async fn select(&self, name: &str, label: &str) {
        self.find(&format!("select[name=\"{name}\"]"))
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("no option {label} in {name}: {e}"));
    }

    /// Clicks the radio button `value` of the group `name`.
    pub async fn choose(&self, name: &str, value: &str) {
        self.click(&format!(
            "input[type=radio][name=\"{name}\"][value=\"{value}\"]"
        ))
        .await;
    }

    /// Clicks the first element matching a CSS selector.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Signs in through the sign-in page shown (or opened) and waits to leave it.
    pub async fn sign_in(&self, username: &str, password: &str) {
        if self.client.current_url().await.expect("a URL").path() != "/login" {
            self.open("/login").await;
        }
        self.fill("username", username).await;
        self.fill("password", password).await;
        self.click("main.login button[type=submit]").await;
        let since = Instant::now();
        while self.client.current_url().await.expect("a URL").path() == "/login" {
            assert!(
                since.elapsed() < PATIENCE,
                "{username} did not get past the sign-in page: {}",
                self.text().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Writes a PNG of the window to `<target>/console-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("a screenshot");
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("the screenshot directory");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("the screenshot is written");
        path
    }

    /// Ends the session (the browser closes).
    pub async fn close(self) {
        self.client.close().await.expect("the session ends");
    }
}

/// What a drawn chart shows in the page: its SVG's shapes, its size on the
/// screen and its text (axis labels, vendor names, values).
pub struct Drawing {
    /// `path`, `rect`, `circle`, `line` and `polyline` elements in the SVG.
    pub shapes: u64,
    pub width: f64,
    pub height: f64,
    pub text: String,
}

impl Browser {
    /// Waits for the page's confirmation (a `form[data-confirm]`'s
    /// `window.confirm`), accepts it and returns what it said.
    pub async fn accept_confirm(&self) -> String {
        let text = self.confirm_text().await;
        self.client
            .accept_alert()
            .await
            .expect("the dialog accepts");
        text
    }

    /// Waits for the page's confirmation, cancels it and returns what it said.
    pub async fn dismiss_confirm(&self) -> String {
        let text = self.confirm_text().await;
        self.client
            .dismiss_alert()
            .await
            .expect("the dialog cancels");
        text
    }

    /// The text of the dialog shown, waited for. Only dialog commands until
    /// it is answered: any other command would have the driver dismiss it.
    async fn confirm_text(&self) -> String {
        let since = Instant::now();
        loop {
            match self.client.get_alert_text().await {
                Ok(text) => return text,
                Err(e) => assert!(since.elapsed() < PATIENCE, "no confirmation shown: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page shows `needle`; returns the page's text. The
    /// page may still be changing (a form posted, its answer coming): a body
    /// gone from under the read is read again.
    pub async fn wait_for_text(&self, needle: &str) -> String {
        let since = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css("body")).await {
                Ok(body) => body.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(
                since.elapsed() < PATIENCE,
                "no {needle} on {}: {text}",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The current value of the input named `name` (what a person sees in it).
    pub async fn value(&self, name: &str) -> String {
        self.find(&format!("[name=\"{name}\"]"))
            .await
            .prop("value")
            .await
            .expect("the field's value")
            .unwrap_or_default()
    }

    /// The drawing of the chart in the element matching `css`, once its
    /// script has put an SVG in it.
    pub async fn drawing(&self, css: &str) -> Drawing {
        let svg = self.find(&format!("{css} svg")).await;
        let (_, _, width, height) = svg.rectangle().await.expect("the chart's box");
        let found = self
            .client
            .execute(
                "return [arguments[0].querySelectorAll('path, rect, circle, line, polyline').length, \
                 arguments[0].textContent];",
                vec![serde_json::to_value(&svg).unwrap()],
            )
            .await
            .expect("the chart's drawing");
        Drawing {
            shapes: found[0].as_u64().expect("a count"),
            width,
            height,
            text: found[1].as_str().unwrap_or_default().to_owned(),
        }
    }

    /// Writes a PNG of the whole page, not only the window, to
    /// `<target>/console-screenshots/<name>.png`: the window is made as tall
    /// as the page (the width kept) for the shot, then put back.
    pub async fn full_page_screenshot(&self, name: &str) -> PathBuf {
        let (width, height) = self
            .client
            .get_window_size()
            .await
            .expect("the window's size");
        let page = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .expect("the page's height");
        let page = page.as_u64().expect("a height in pixels");
        // The window's frame is outside the page: add the difference back.
        let inner = self
            .client
            .execute("return window.innerHeight;", vec![])
            .await
            .expect("the viewport's height")
            .as_u64()
            .expect("a height in pixels");
        let tall = page + (height - inner.min(height));
        self.client
            .set_window_size(u32::try_from(width).unwrap(), u32::try_from(tall).unwrap())
            .await
            .expect("the window grows to the page");
        let path = self.screenshot(name).await;
        self.client
            .set_window_size(
                u32::try_from(width).unwrap(),
                u32::try_from(height).unwrap(),
            )
            .await
            .expect("the window is put back");
        path
    }

    /// The body rows of the table matching `css`, each as its cells' text.
    pub async fn table(&self, css: &str) -> Vec<Vec<String>> {
        self.find(css).await;
        let rows = self
            .client
            .find_all(Locator::Css(&format!("{css} tbody tr")))
            .await
            .expect("the table's rows");
        let mut table = Vec::new();
        for row in rows {
            let mut cells = Vec::new();
            for cell in row.find_all(Locator::Css("td")).await.expect("cells") {
                cells.push(cell.text().await.expect("a cell's text"));
            }
            table.push(cells);
        }
        table
    }
}

// For a scenario that starts from a mail: an app reachable at its own
// `PUBLIC_URL` (so the link in its mail opens), opening a full URL, a table
// row's value, attaching a file, a cookie.

/// An app whose `PUBLIC_URL` is its own address, so the link its mail carries
/// (`{PUBLIC_URL}/notices/{id}`) opens on it. The mail's base URL is fixed in
/// the configuration before the server binds, so the port is picked first (a
/// free one, released just before the server binds it) rather than port 0.
pub async fn spawn_app_at_its_public_url() -> TestApp {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let app = e2e::spawn_app_with(|c| {
        c.listen_addr = ([127, 0, 0, 1], port).into();
        c.mail.public_url = url.clone();
        c.http.public_url = Some(url.clone());
    })
    .await;
    assert_eq!(app.base, url, "the server listens where its mail points");
    app
}

impl Browser {
    /// Opens a full URL, as a click on a link in a mail does.
    pub async fn open_url(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The text of the cell beside the row header `label` (`状态`) of the
    /// page's tables.
    pub async fn cell(&self, label: &str) -> String {
        match self
            .text_of(&format!("//tr[th[normalize-space()=\"{label}\"]]/td"))
            .await
        {
            Some(text) => text,
            None => panic!("no row {label} on {}", self.path().await),
        }
    }

    /// Waits until the cell beside `label` reads `expected` (the page after a
    /// form's answer has loaded).
    pub async fn wait_for_cell(&self, label: &str, expected: &str) {
        let since = Instant::now();
        let xpath = format!("//tr[th[normalize-space()=\"{label}\"]]/td");
        loop {
            let shown = self.text_of(&xpath).await;
            if shown.as_deref() == Some(expected) {
                return;
            }
            assert!(
                since.elapsed() < PATIENCE,
                "{label} still reads {shown:?}, not {expected}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The text of the element at `xpath` now, if there is one (a page being
    /// replaced may have none for a moment).
    async fn text_of(&self, xpath: &str) -> Option<String> {
        let element = self.client.find(Locator::XPath(xpath)).await.ok()?;
        element.text().await.ok()
    }

    /// Chooses the file at `path` (absolute) in the file input named `name`,
    /// as the file dialog would.
    pub async fn attach(&self, name: &str, path: &Path) {
        assert!(path.is_absolute(), "the browser wants an absolute path");
        self.find(&format!("input[type=file][name=\"{name}\"]"))
            .await
            .send_keys(&path.to_string_lossy())
            .await
            .unwrap_or_else(|e| panic!("attach {}: {e}", path.display()));
    }

    /// The value of the browser's cookie `name` (HTTP-only ones too).
    pub async fn cookie(&self, name: &str) -> String {
        self.client
            .get_named_cookie(name)
            .await
            .unwrap_or_else(|e| panic!("no cookie {name}: {e}"))
            .value()
            .to_owned()
    }

    /// What following the link at `css` downloads, as the browser's session
    /// (its cookie) would fetch it: the answer's status, `Content-Type` and
    /// body. A headless browser saves downloads out of the test's sight, so
    /// the link's own address is fetched with the browser's session instead.
    pub async fn download(&self, css: &str) -> Download {
        let href = self
            .find(css)
            .await
            .prop("href")
            .await
            .unwrap_or_else(|e| panic!("the link {css} has no address: {e}"))
            .unwrap_or_else(|| panic!("the link {css} has no address"));
        let session = self.cookie("govcloud_session").await;
        let answer = reqwest::Client::new()
            .get(&href)
            .header("Cookie", format!("govcloud_session={session}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("download {href}: {e}"));
        let status = answer.status().as_u16();
        let content_type = answer
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = answer.bytes().await.expect("the download's body").to_vec();
        Download {
            href,
            status,
            content_type,
            bytes,
        }
    }
}

/// A file the browser's link leads to (`Browser::download`).
pub struct Download {
    pub href: String,
    pub status: u16,
    pub content_type: String,
    pub bytes: Vec<u8>,
}
