//! The console's static files, served from the binary under `/assets/`
//! (docs.rs `statics.rs`): htmx and Apache ECharts, pinned and vendored with
//! their licences (`api/assets/htmx/`, `api/assets/echarts/`), and our
//! stylesheet. The vendored files' names carry their versions, so browsers may
//! keep them for a year; ours is revalidated.

use axum::extract::Path;
use axum::response::Response;

use crate::embedded::{Asset, CSS, FOREVER, JS, REVALIDATE};

/// The htmx script's path, for the templates.
pub const HTMX: &str = "/assets/htmx-2.0.8.min.js";
/// The ECharts script's path, for pages with charts.
pub const ECHARTS: &str = "/assets/echarts-6.0.0.min.js";
/// Our chart and confirmation script's path.
pub const SCRIPT: &str = "/assets/console.js";
/// Our stylesheet's path.
pub const STYLESHEET: &str = "/assets/console.css";

/// (name under `/assets/`, content type, cache policy, bytes)
const ASSETS: &[Asset] = &[
    (
        "htmx-2.0.8.min.js",
        JS,
        FOREVER,
        include_bytes!("../../assets/htmx/htmx.min.js"),
    ),
    (
        "echarts-6.0.0.min.js",
        JS,
        FOREVER,
        include_bytes!("../../assets/echarts/echarts.min.js"),
    ),
    (
        "console.js",
        JS,
        REVALIDATE,
        include_bytes!("../../assets/console/console.js"),
    ),
    (
        "console.css",
        CSS,
        REVALIDATE,
        include_bytes!("../../assets/console/console.css"),
    ),
];

pub async fn serve(Path(name): Path<String>) -> Response {
    crate::embedded::serve(ASSETS, &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_paths_name_served_assets() {
        for path in [HTMX, ECHARTS, SCRIPT, STYLESHEET] {
            let name = path.trim_start_matches("/assets/");
            assert!(ASSETS.iter().any(|(n, ..)| *n == name), "{path}");
        }
    }
}
