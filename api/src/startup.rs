//! Building and running the application: database, schema, HTTP routes.
//! `Application::build` binds first, so tests can use port 0 and ask for the port.
//! `Application::run` serves until SIGTERM, Ctrl-C or `Shutdown::trigger`, then
//! finishes the requests and jobs under way (see `shutdown`).

use std::sync::Arc;

use async_graphql_axum::GraphQLResponse;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, header};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::auth::token::TokenKeys;
use crate::config::{Config, HttpConfig, Secret};
use crate::graphql::{self, AppSchema};
use crate::metrics::Metrics;
use crate::request_id::{self, RequestId};
use crate::state::AppState;
use crate::{bootstrap, client_errors, session};
use jobs::shutdown::Shutdown;

// Requests larger than this are refused before they are parsed.
use crate::edge::MAX_BODY_BYTES;

#[derive(Clone)]
struct Http {
    schema: AppSchema,
    state: AppState,
    /// `/metrics` wants this bearer token when set.
    metrics_token: Option<Secret>,
    /// `TRUSTED_PROXY_HEADER`: where the client's address is (`client_addr`).
    trusted_proxy_header: Option<axum::http::HeaderName>,
    /// The bounded set of operation labels (the schema's root fields).
    operations: crate::metrics::Operations,
    /// How many pool connections one request may hold at once.
    db_per_request: u32,
    /// Documents already parsed, by their text.
    parsed: Arc<crate::graphql::parsed_queries::ParsedQueries>,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub state: AppState,
    /// The cron jobs, alive as long as the application; stopped at shutdown.
    scheduler: Option<jobs::scheduler::Running>,
    /// Tells the background jobs to stop; the mail sender's task.
    stop: tokio::sync::watch::Sender<bool>,
    sender: tokio::task::JoinHandle<()>,
    shutdown: Shutdown,
    /// How long shutdown waits for the requests and jobs under way.
    grace: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("start-up data: {0}")]
    Bootstrap(#[from] crate::error::DomainError),
    #[error("mail: {0}")]
    Mail(#[from] jobs::mail::mailer::MailError),
    #[error(transparent)]
    Schedule(#[from] jobs::scheduler::ScheduleError),
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let metrics = Arc::new(Metrics::new());
        let mut db = domain::db::connect(&config.database_url, config.pool()).await?;
        // Before the first clone: clones made earlier would not count.
        metrics.count_statements(&mut db);
        let shutdown = Shutdown::default();
        let secret = config.jwt_secret.clone().unwrap_or_else(|| {
            tracing::warn!(
                "JWT_SECRET is not set: using a random secret; tokens end with this process"
            );
            random_secret()
        });
        let lease = jobs::leases::Lease::for_this_process(config.lease);
        let state = AppState {
            db,
            keys: TokenKeys::new(&secret, config.token_ttl_minutes),
            throttle: Default::default(),
            metrics: Arc::clone(&metrics),
            lease: lease.clone(),
            public_url: config.mail.public_url.clone(),
            dispute_window_working_days: config.dispute_window_working_days,
            results: Default::default(),
            scorecards: Default::default(),
            users: Default::default(),
            vendors: Default::default(),
        };
        bootstrap::ensure_admin(&state.db, &config.admin).await?;
        if config.demo_data {
            crate::demo::load(&state.db, &state.public_url).await?;
        }
        let mailer = jobs::mail::mailer::Mailer::from_config(&config.mail)?;
        tracing::info!(
            backend = mailer.backend(),
            "notices are mailed through the outbox"
        );
        // Background jobs stop with the server, finishing the round under way.
        let (stop, mut stopping) = tokio::sync::watch::channel(false);
        let stopped = async move {
            let _ = stopping.changed().await;
        };
        let sending = jobs::mail::Sending {
            poll: std::time::Duration::from_secs(config.mail.poll_seconds),
            max_attempts: config.mail.max_attempts,
        };
        let sender = jobs::mail::sender::spawn_sender_until(
            state.db.clone(),
            mailer,
            sending,
            Arc::clone(&metrics) as Arc<dyn jobs::observe::Observer>,
            stopped,
        );
        let mut scheduler_handle = None;
        if let Some(schedule) = &config.schedule {
            let jobs = jobs::scheduler::Jobs {
                db: state.db.clone(),
                lease,
                observer: Arc::clone(&metrics) as Arc<dyn jobs::observe::Observer>,
                shutdown: shutdown.clone(),
                schedule: jobs::scheduler::Schedule {
                    public_url: config.mail.public_url.clone(),
                    ..schedule.clone()
                },
            };
            let scheduler = jobs::scheduler::start(jobs.clone()).await?;
            scheduler_handle = Some(scheduler);
            tokio::spawn(async move {
                if let Err(e) = jobs::scheduler::catch_up(&jobs).await {
                    tracing::error!(error = %e, "catch-up of missed scheduled runs failed");
                }
            });
        }
        let listener = TcpListener::bind(config.listen_addr)
            .await
            .map_err(|source| StartError::Listen {
                addr: config.listen_addr,
                source,
            })?;
        let router = router(&config.http, state.clone(), &secret);
        Ok(Self {
            listener,
            router,
            state,
            scheduler: scheduler_handle,
            stop,
            sender,
            shutdown,
            grace: Duration::from_secs(config.http.shutdown_grace_seconds),
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Stops the application as SIGTERM would (for tests and embedders).
    pub fn shutdown_handle(&self) -> Shutdown {
        self.shutdown.clone()
    }

    /// Serves until SIGTERM, Ctrl-C or the shutdown handle, then stops
    /// accepting connections and starting jobs, and waits up to the grace
    /// period for the requests, jobs and mail round under way.
    pub async fn run(mut self) -> std::io::Result<()> {
        tracing::info!(addr = %self.listener.local_addr()?, "serving GraphQL at /graphql");
        let service = self
            .router
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        // Nagle's algorithm held the last segment of a large answer (a
        // ranking is 32 KB) until the client's delayed ACK, up to 40 ms: the
        // ranking's p99 at 16 clients was that wait (issue 17).
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "TCP_NODELAY could not be set on a connection");
            }
        });
        let serve = axum::serve(listener, service)
            .with_graceful_shutdown(self.shutdown.clone().triggered());
        let mut server = tokio::spawn(serve.into_future());
        tokio::select! {
            () = jobs::shutdown::signal() => self.shutdown.trigger(),
            () = self.shutdown.clone().triggered() => {}
            // The server does not stop by itself; if it fails, stop the rest.
            served = &mut server => {
                self.shutdown.trigger();
                tracing::error!("the HTTP server stopped unasked");
                return served.map_err(std::io::Error::other)?;
            }
        }
        tracing::info!(
            grace_seconds = self.grace.as_secs(),
            "shutting down: finishing the requests and jobs under way"
        );
        if let Some(scheduler) = self.scheduler.take() {
            scheduler.stop().await;
        }
        let _ = self.stop.send(true);
        let abort = server.abort_handle();
        let (shutdown, sender) = (self.shutdown, self.sender);
        let drained = tokio::time::timeout(self.grace, async {
            let (served, (), _) = tokio::join!(server, shutdown.jobs_finished(), sender);
            served
        })
        .await;
        match drained {
            Ok(served) => {
                tracing::info!("shut down: nothing left under way");
                served.map_err(std::io::Error::other)?
            }
            Err(_) => {
                abort.abort();
                tracing::warn!(
                    grace_seconds = self.grace.as_secs(),
                    "shut down with work still under way: the grace period ran out"
                );
                Ok(())
            }
        }
    }
}

/// The routes (the API's and the web console's) and the HTTP edge's limits. With introspection off, GraphiQL and
/// the SDL are not served either.
/// Whether the request's document holds a mutation (parsed once; the
/// execution reuses the parse). Such a request may change a user or a vendor,
/// whose kept rows this instance then forgets.
fn holds_mutation(request: &mut async_graphql::Request) -> bool {
    use async_graphql::parser::types::OperationType;
    request.parsed_query().is_ok_and(|document| {
        document
            .operations
            .iter()
            .any(|(_, op)| op.node.ty == OperationType::Mutation)
    })
}

/// A console form (any request but a read) may change a user or a vendor:
/// the kept rows are forgotten once it has been answered.
async fn forget_kept_rows_after_writes(
    State(state): State<AppState>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let response = next.run(request).await;
    if writes {
        state.forget_kept_rows();
    }
    response
}

fn router(config: &HttpConfig, state: AppState, secret: &Secret) -> Router {
    let console = crate::web::routes(state.clone(), secret, config).layer(
        axum::middleware::from_fn_with_state(state.clone(), forget_kept_rows_after_writes),
    );
    let schema = graphql::build(Some(state.clone()), config.introspection);
    let http = Http {
        operations: crate::metrics::Operations::of_sdl(&schema.sdl()),
        schema,
        state,
        metrics_token: config.metrics_token.clone(),
        trusted_proxy_header: config.trusted_proxy_header.clone(),
        db_per_request: config.db.per_request,
        parsed: Default::default(),
    };
    let graphql = if config.introspection {
        get(crate::graphiql::page).post(graphql_handler)
    } else {
        post(graphql_handler)
    };
    let mut router = Router::new()
        .route("/graphql", graphql)
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics));
    if config.introspection {
        router = router
            .route("/schema.graphql", get(schema_sdl))
            .merge(crate::graphiql::routes());
    }
    // The web console at `/`, with its own state, its own nonce policy and
    // its own body limits (a rectification's upload carries files; every
    // other console form is held to `MAX_BODY_BYTES` by `web::routes`).
    let router = router
        .with_state(Arc::new(http))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(console);
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(
            config.cors_origins.iter().filter_map(|o| o.parse().ok()),
        ))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]);
    // Layers wrap what comes before them: the last one sees the request first.
    // The id is set before the span is made and propagated outside the limits,
    // so a 408 or 413 answer carries it too.
    let trace = TraceLayer::new_for_http()
        .make_span_with(request_span)
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO));
    router
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.request_timeout_seconds),
        ))
        .layer(cors)
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(request_id::header()))
        .layer(SetRequestIdLayer::new(
            request_id::header(),
            request_id::MakeId,
        ))
        .layer(axum::middleware::map_request(drop_insane_request_id))
        // Outermost: security headers and the 413's shape on every answer.
        .layer(axum::middleware::from_fn(crate::edge::harden))
}

async fn drop_insane_request_id(request: Request) -> Request {
    request_id::drop_insane_id(request)
}

/// Every log line written while serving a request carries its id.
fn request_span(request: &axum::http::Request<Body>) -> tracing::Span {
    tracing::info_span!(
        "request",
        request_id = %request_id::of(request),
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// Prometheus metrics; behind a bearer token when `METRICS_TOKEN` is set.
async fn metrics(State(http): State<Arc<Http>>, headers: HeaderMap) -> Response {
    if let Some(token) = &http.metrics_token
        && !bearer_is(&headers, token)
    {
        return (StatusCode::FORBIDDEN, "forbidden").into_response();
    }
    match http.state.metrics.render(&http.state.db).await {
        Ok(text) => ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], text).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "metrics: cannot encode");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Compares in time independent of where the first difference is, so the
/// token cannot be guessed byte by byte from response times.
fn bearer_is(headers: &HeaderMap, token: &Secret) -> bool {
    let given = crate::auth::token::bearer(headers).unwrap_or("");
    let (a, b) = (given.as_bytes(), token.expose().as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// Ready when the database answers and every migration is applied.
async fn ready(State(http): State<Arc<Http>>) -> (StatusCode, &'static str) {
    use migration::MigratorTrait;
    match migration::Migrator::get_pending_migrations(&http.state.db).await {
        Ok(pending) if pending.is_empty() => (StatusCode::OK, "ready"),
        Ok(_) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

fn random_secret() -> Secret {
    use rand::Rng;
    let bytes: [u8; 32] = rand::rng().random();
    Secret::new(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

async fn schema_sdl(State(http): State<Arc<Http>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        http.schema.sdl(),
    )
}

async fn graphql_handler(
    State(http): State<Arc<Http>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    client_errors::JsonGraphQL(req): client_errors::JsonGraphQL,
) -> axum::response::Response {
    // The request holds at most its share of the pool at once (`db_share`).
    let share = domain::db_share::Share::new(&http.state.db, http.db_per_request);
    share.scope(answer(http, peer, headers, req)).await
}

async fn answer(
    http: Arc<Http>,
    peer: std::net::SocketAddr,
    headers: HeaderMap,
    req: async_graphql::Request,
) -> axum::response::Response {
    let mut request = req;
    if request.query.trim().is_empty() {
        return client_errors::refused(
            StatusCode::BAD_REQUEST,
            "request body: \"query\" is missing or empty",
        );
    }
    http.parsed.prepare(&mut request);
    // One sign-in per request, refused before any password is hashed.
    if let Some(message) = crate::auth::sign_in::refusal(&mut request) {
        return client_errors::refused(StatusCode::BAD_REQUEST, message);
    }
    let timer = http
        .state
        .metrics
        .request(http.operations.label(&mut request));
    let id = headers
        .get(request_id::header())
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let mut request = request
        .data(crate::state::ClientAddr::of(
            peer,
            &headers,
            http.trusted_proxy_header.as_ref(),
        ))
        .data(RequestId(id));
    match session::actor_from_headers(&http.state, &headers).await {
        Ok(Some(actor)) => {
            request = request
                .data(crate::graphql::nested::loader(
                    http.state.clone(),
                    actor.clone(),
                ))
                .data(actor)
        }
        Ok(None) => {}
        // The database cannot say who the token is: answer that, not UNAUTHENTICATED.
        Err(e) => {
            timer.finish(true);
            return client_errors::failed(e);
        }
    }
    let variables = request
        .variables
        .clone()
        .into_value()
        .into_json()
        .unwrap_or_default();
    if let Some(path) = client_errors::nul_in(&variables) {
        timer.finish(true);
        return client_errors::refused(
            StatusCode::BAD_REQUEST,
            format!("{path}: must not contain the NUL character (U+0000)"),
        );
    }
    // Only an escape can put a NUL into an inline literal: most queries skip this.
    let nul_literal = request
        .query
        .contains('\\')
        .then(|| client_errors::nul_in_literals(&client_errors::literal_arguments(&request.query)))
        .flatten();
    if let Some(path) = nul_literal {
        timer.finish(true);
        return client_errors::refused(
            StatusCode::BAD_REQUEST,
            format!("{path}: must not contain the NUL character (U+0000)"),
        );
    }
    let query = request.query.clone();
    let shape = crate::graphql::scorecard_cache::QueryShape::of(&request);
    let mutates = holds_mutation(&mut request);
    let mut response = http.schema.execute(request.data(shape)).await;
    if mutates {
        http.state.forget_kept_rows();
    }
    timer.finish(response.is_err());
    if !response.errors.is_empty() {
        let literals = client_errors::literal_arguments(&query);
        client_errors::label(&mut response, &variables, &literals);
    }
    GraphQLResponse::from(response).into_response()
}
