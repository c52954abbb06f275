//! A chart as the page carries it: the `data-chart` attribute that
//! `assets/console/console.js` draws with ECharts. Values travel as decimal
//! text (a score stays exact until the browser draws it).

use rust_decimal::Decimal;
use serde::Serialize;

/// A bar or line chart over named categories (vendors, months).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Chart {
    /// `bar` or `line` (ECharts' series type).
    pub kind: &'static str,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The y axis' unit, shown as its name (`分`).
    pub unit: &'static str,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    /// A dashed line across the chart (the pass mark) and its label.
    pub pass_line: Option<Decimal>,
    pub pass_label: Option<String>,
}

#[derive(Serialize)]
pub struct Series {
    pub name: String,
    /// One value per category; `None` where there is none (a gap in a line).
    pub data: Vec<Option<Decimal>>,
}

impl Chart {
    /// Scores of 0–100 per category, with the pass mark drawn.
    pub fn scores(kind: &'static str, categories: Vec<String>, series: Vec<Series>) -> Self {
        Self {
            kind,
            categories,
            series,
            unit: "分",
            min: Some(Decimal::ZERO),
            max: Some(Decimal::ONE_HUNDRED),
            pass_line: None,
            pass_label: None,
        }
    }

    /// Percentages of 0–100 per category (an agency's satisfaction).
    pub fn percentages(kind: &'static str, categories: Vec<String>, series: Vec<Series>) -> Self {
        Self {
            unit: "%",
            ..Self::scores(kind, categories, series)
        }
    }

    /// The same chart with a dashed line at `value` named `label`.
    pub fn with_pass_line(mut self, value: Decimal, label: impl Into<String>) -> Self {
        self.pass_line = Some(value);
        self.pass_label = Some(label.into());
        self
    }

    /// The JSON for `data-chart` (askama escapes it into the attribute).
    pub fn attribute(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_travels_as_json_with_exact_values() {
        let chart = Chart::scores(
            "bar",
            vec!["甲云".into(), "乙云".into()],
            vec![Series {
                name: "得分".into(),
                data: vec![Some(Decimal::new(9550, 2)), None],
            }],
        )
        .with_pass_line(Decimal::new(60, 0), "合格线 60 分");
        let json: serde_json::Value = serde_json::from_str(&chart.attribute()).expect("json");
        assert_eq!(json["kind"], "bar");
        assert_eq!(json["categories"][1], "乙云");
        assert_eq!(json["series"][0]["data"][0], "95.50");
        assert!(json["series"][0]["data"][1].is_null());
        assert_eq!(json["passLine"], "60");
    }
}
