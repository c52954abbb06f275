//! Prometheus metrics, served at `/metrics` in the OpenMetrics text format.
//!
//! One [`Metrics`] (one registry) per application, held in `AppState`: the
//! end-to-end tests run several servers in one process, and each must count
//! only its own requests, so nothing here is a global static.
//!
//! Labels have bounded values: the GraphQL operation label is one of the
//! schema's root fields (or `other`, `invalid`), never a name the client sent;
//! job names are constants.

use std::sync::Arc;
use std::time::Instant;

use jobs::observe::{JOB_ANNUAL, JOB_MAIL, JOB_MONTHLY, JOB_RISK_CHECK};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::{DatabaseConnection, DbBackend};

/// The content type of [`Metrics::render`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The job names of `govcloud_job_runs_total{job}`.

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobRunLabels {
    job: &'static str,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// Every metric of one application, and the registry that encodes them.
pub struct Metrics {
    registry: Registry,
    http_requests: Family<RequestLabels, Counter>,
    http_duration: HistogramFamily<OperationLabels>,
    http_in_flight: Gauge,
    db_statements: Counter,
    db_statement_duration: Histogram,
    job_runs: Family<JobRunLabels, Counter>,
    job_duration: HistogramFamily<JobLabels>,
    outbox_pending: Gauge,
    outbox_given_up: Gauge,
    outbox_failures: Counter,
    pool_connections: Family<PoolLabels, Gauge>,
    pool_max: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

/// 5 ms to about 10 s: GraphQL requests are answered in milliseconds, and the
/// request timeout (30 s by default) caps the rest in `+Inf`.
fn request_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

/// 50 ms to about 14 min: a mail round is quick, an annual run of a large
/// region may take minutes.
fn job_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.05, 4.0, 8))
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("govcloud");
        let http_requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "GraphQL requests answered, by operation and outcome (error: the answer has errors, or the request was cut off)",
            http_requests.clone(),
        );
        let http_duration: HistogramFamily<OperationLabels> =
            Family::new_with_constructor(request_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a GraphQL request, by operation",
            http_duration.clone(),
        );
        let http_in_flight = Gauge::default();
        registry.register(
            "http_requests_in_flight",
            "GraphQL requests being answered now",
            http_in_flight.clone(),
        );
        let db_statements = Counter::default();
        registry.register(
            "db_statements",
            "SQL statements issued by this instance (each scrape of /metrics issues one, counting the outbox)",
            db_statements.clone(),
        );
        // 0.5 ms to about 8 s.
        let db_statement_duration = Histogram::new(exponential_buckets(0.0005, 4.0, 8));
        registry.register(
            "db_statement_duration_seconds",
            "Time from sending an SQL statement to its result",
            db_statement_duration.clone(),
        );
        let job_runs = Family::<JobRunLabels, Counter>::default();
        registry.register(
            "job_runs",
            "Job runs by job (monthly, annual, risk_check, breach_detection, mail) and status (succeeded, failed)",
            job_runs.clone(),
        );
        let job_duration: HistogramFamily<JobLabels> = Family::new_with_constructor(job_histogram);
        registry.register(
            "job_duration_seconds",
            "Time a job run took, by job",
            job_duration.clone(),
        );
        let outbox_pending = Gauge::default();
        registry.register(
            "outbox_pending",
            "Mails in the outbox not delivered yet (read from the database at scrape time; shared by all instances)",
            outbox_pending.clone(),
        );
        let outbox_given_up = Gauge::default();
        registry.register(
            "outbox_given_up",
            "Mails given up after MAIL_MAX_ATTEMPTS failed tries (read from the database at scrape time; shared by all instances)",
            outbox_given_up.clone(),
        );
        let outbox_failures = Counter::default();
        registry.register(
            "outbox_failures",
            "Mail delivery attempts of this instance that failed (each is retried later)",
            outbox_failures.clone(),
        );
        let pool_connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Connections of this instance's database pool, by state (idle, in_use)",
            pool_connections.clone(),
        );
        let pool_max = Gauge::default();
        registry.register(
            "db_pool_max_connections",
            "The most connections this instance's database pool opens",
            pool_max.clone(),
        );
        // Every job's series exist from the start, at zero: an empty family is
        // not exposed at all, and alerts on "failed" want a 0 to compare with.
        for job in [JOB_MONTHLY, JOB_ANNUAL, JOB_RISK_CHECK, JOB_MAIL] {
            for status in ["succeeded", "failed"] {
                job_runs.get_or_create_owned(&JobRunLabels { job, status });
            }
            job_duration.get_or_create_owned(&JobLabels { job });
        }
        Self {
            registry,
            http_requests,
            http_duration,
            http_in_flight,
            db_statements,
            db_statement_duration,
            job_runs,
            job_duration,
            outbox_pending,
            outbox_given_up,
            outbox_failures,
            pool_connections,
            pool_max,
        }
    }

    /// Counts every statement `db` and its clones issue. Call it before `db` is
    /// cloned: the callback lives in the connection value, not in a shared pool.
    /// The callback runs when the statement's result arrives, inside the caller's
    /// await, so a request's statements are all counted before its answer is sent.
    pub fn count_statements(self: &Arc<Self>, db: &mut DatabaseConnection) {
        let metrics = Arc::clone(self);
        db.set_metric_callback(move |info| {
            metrics.db_statements.inc();
            metrics
                .db_statement_duration
                .observe(info.elapsed.as_secs_f64());
        });
    }

    /// Starts timing a GraphQL request; the returned guard records it when
    /// finished, or as an error when dropped first (timeout, client gone).
    pub fn request(self: &Arc<Self>, operation: String) -> RequestTimer {
        self.http_in_flight.inc();
        RequestTimer {
            metrics: Arc::clone(self),
            operation,
            started: Instant::now(),
            outcome: "error",
        }
    }

    /// Runs one job, recording its duration and whether it returned an error.
    /// The current numbers, after reading the outbox and the pool.
    pub async fn render(&self, db: &DatabaseConnection) -> Result<String, std::fmt::Error> {
        self.read_pool(db);
        match jobs::mail::outbox::counts(db).await {
            Ok((pending, given_up)) => {
                self.outbox_pending
                    .set(i64::try_from(pending).unwrap_or(i64::MAX));
                self.outbox_given_up
                    .set(i64::try_from(given_up).unwrap_or(i64::MAX));
            }
            // The last values stay; the scrape still answers with the rest.
            Err(e) => tracing::warn!(error = %e, "metrics: cannot count the outbox"),
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }

    fn read_pool(&self, db: &DatabaseConnection) {
        let (size, idle, max) = match db.get_database_backend() {
            DbBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            _ => return,
        };
        let idle = i64::try_from(idle).unwrap_or(i64::MAX);
        let size = i64::from(size);
        self.pool_connections
            .get_or_create(&PoolLabels { state: "idle" })
            .set(idle);
        self.pool_connections
            .get_or_create(&PoolLabels { state: "in_use" })
            .set((size - idle).max(0));
        self.pool_max.set(i64::from(max));
    }
}

/// One GraphQL request being timed (see [`Metrics::request`]).
pub struct RequestTimer {
    metrics: Arc<Metrics>,
    operation: String,
    started: Instant,
    outcome: &'static str,
}

impl RequestTimer {
    /// Records the request as answered, with or without errors.
    pub fn finish(mut self, had_errors: bool) {
        self.outcome = if had_errors { "error" } else { "ok" };
    }
}

impl Drop for RequestTimer {
    fn drop(&mut self) {
        let m = &self.metrics;
        m.http_in_flight.dec();
        let operation = std::mem::take(&mut self.operation);
        m.http_duration
            .get_or_create(&OperationLabels {
                operation: operation.clone(),
            })
            .observe(self.started.elapsed().as_secs_f64());
        m.http_requests
            .get_or_create(&RequestLabels {
                operation,
                outcome: self.outcome,
            })
            .inc();
    }
}

/// The operation labels a request can have: the root fields of the schema
/// (queries and mutations, plus `__schema` and `__type`), `other` and
/// `invalid`. A client chooses among them but cannot add to them, whatever
/// `operationName` or aliases it sends.
#[derive(Clone, Debug, Default)]
pub struct Operations {
    root_fields: std::collections::HashSet<String>,
}

/// A request whose first root field is not one of the schema's (a fragment
/// spread at the root, an unknown field, several operations and no name).
pub const OTHER: &str = "other";
/// A query that does not parse.
pub const INVALID: &str = "invalid";

impl Operations {
    /// The root fields of the query and mutation types of `sdl`.
    pub fn of_sdl(sdl: &str) -> Self {
        use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
        let mut root_fields: std::collections::HashSet<String> =
            ["__schema", "__type", "__typename"]
                .map(str::to_owned)
                .into();
        let Ok(doc) = async_graphql::parser::parse_schema(sdl) else {
            tracing::error!("metrics: the schema's SDL does not parse; every operation is `other`");
            return Self { root_fields };
        };
        let mut roots = vec!["Query".to_owned(), "Mutation".to_owned()];
        for definition in &doc.definitions {
            if let TypeSystemDefinition::Schema(schema) = definition {
                roots.extend(schema.node.query.iter().map(|n| n.node.to_string()));
                roots.extend(schema.node.mutation.iter().map(|n| n.node.to_string()));
            }
        }
        for definition in &doc.definitions {
            if let TypeSystemDefinition::Type(ty) = definition
                && roots.iter().any(|r| r == ty.node.name.node.as_str())
                && let TypeKind::Object(object) = &ty.node.kind
            {
                root_fields.extend(object.fields.iter().map(|f| f.node.name.node.to_string()));
            }
        }
        Self { root_fields }
    }

    /// How many labels there can be at most.
    pub fn len(&self) -> usize {
        self.root_fields.len() + 2
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The label of a request: the name of the first root field of the
    /// operation that runs (the one `operationName` picks, or the only one),
    /// when the schema has such a root field; else `other` (`invalid` when the
    /// query does not parse). The client's `operationName` only picks the
    /// operation; it never becomes a label.
    pub fn label(&self, request: &mut async_graphql::Request) -> String {
        use async_graphql::parser::types::{DocumentOperations, Selection};
        let name = request.operation_name.clone();
        let Ok(document) = request.parsed_query() else {
            return INVALID.to_owned();
        };
        let operation = match &document.operations {
            DocumentOperations::Single(op) => Some(op),
            DocumentOperations::Multiple(named) => match name {
                Some(name) => named.get(name.as_str()),
                // Without operationName only a document with one operation runs.
                None if named.len() == 1 => named.values().next(),
                None => None,
            },
        };
        let Some(operation) = operation else {
            return OTHER.to_owned();
        };
        match operation
            .node
            .selection_set
            .node
            .items
            .first()
            .map(|s| &s.node)
        {
            Some(Selection::Field(field)) => self.known(field.node.name.node.as_str()),
            _ => OTHER.to_owned(),
        }
    }

    fn known(&self, field: &str) -> String {
        match self.root_fields.get(field) {
            Some(name) => name.clone(),
            None => OTHER.to_owned(),
        }
    }
}

/// The jobs report their runs and failed deliveries here.
impl jobs::observe::Observer for Metrics {
    fn job_ended(&self, job: &'static str, succeeded: bool, took: std::time::Duration) {
        let status = if succeeded { "succeeded" } else { "failed" };
        self.job_runs
            .get_or_create(&JobRunLabels { job, status })
            .inc();
        self.job_duration
            .get_or_create(&JobLabels { job })
            .observe(took.as_secs_f64());
    }

    fn outbox_failed(&self, attempts: usize) {
        self.outbox_failures.inc_by(attempts as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(query: &str, name: Option<&str>) -> String {
        let operations = Operations::of_sdl(&crate::graphql::sdl());
        let mut request = async_graphql::Request::new(query);
        request.operation_name = name.map(str::to_owned);
        operations.label(&mut request)
    }

    #[test]
    fn the_operation_is_the_first_root_field_of_the_operation_that_runs() {
        for (query, name, expected) in [
            ("query Dash { regions { total } }", None, "regions"),
            ("{ regions { total } vendors { total } }", None, "regions"),
            ("{ r: vendors { total } }", None, "vendors"),
            (
                "mutation { login(username: \"a\", password: \"b\") { token } }",
                None,
                "login",
            ),
            (
                "query A { me { id } } query B { regions { total } }",
                Some("B"),
                "regions",
            ),
            // Two operations and no name, or a name of none: nothing runs.
            (
                "query A { me { id } } query B { regions { total } }",
                None,
                "other",
            ),
            (
                "query A { me { id } } query B { regions { total } }",
                Some("C"),
                "other",
            ),
            ("{ ...F } fragment F on Query { me { id } }", None, "other"),
            ("{ noSuchField }", None, "other"),
            ("{ __schema { queryType { name } } }", None, "__schema"),
            ("{ regions {", None, "invalid"),
        ] {
            assert_eq!(label(query, name), expected, "{query}");
        }
    }

    #[test]
    fn the_labels_are_a_fixed_set_whatever_the_client_names_its_operations() {
        let operations = Operations::of_sdl(&crate::graphql::sdl());
        assert!(operations.len() > 50, "{}", operations.len());
        assert!(operations.len() < 400, "{}", operations.len());
        let mut seen = std::collections::HashSet::new();
        for i in 0..300 {
            let mut request =
                async_graphql::Request::new(format!("query Op{i} {{ regions {{ total }} }}"));
            request.operation_name = Some(format!("Op{i}"));
            seen.insert(operations.label(&mut request));
        }
        assert_eq!(seen.len(), 1, "{seen:?}");
    }
}
