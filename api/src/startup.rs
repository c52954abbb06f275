//! Building and running the application: database, schema, HTTP routes.
//! `Application::build` binds first, so tests can use port 0 and ask for the port.

use std::sync::Arc;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::GraphQLResponse;
use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, header};
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::token::TokenKeys;
use crate::config::{Config, HttpConfig, Secret};
use crate::graphql::{self, AppSchema};
use crate::state::AppState;
use crate::{bootstrap, client_errors, db, session};

/// Requests larger than this are refused before they are parsed.
const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
struct Http {
    schema: AppSchema,
    state: AppState,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub state: AppState,
    /// The cron jobs, alive as long as the application.
    _scheduler: Option<tokio_cron_scheduler::JobScheduler>,
    /// Tells the background jobs to stop; the mail sender's task.
    stop: tokio::sync::watch::Sender<bool>,
    sender: tokio::task::JoinHandle<()>,
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
    Bootstrap(#[from] crate::error::AppError),
    #[error("mail: {0}")]
    Mail(#[from] crate::mail::mailer::MailError),
    #[error("{0}: not a valid cron expression ({1})")]
    Schedule(String, tokio_cron_scheduler::JobSchedulerError),
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let db = db::connect(&config).await?;
        let secret = config.jwt_secret.clone().unwrap_or_else(|| {
            tracing::warn!(
                "JWT_SECRET is not set: using a random secret; tokens end with this process"
            );
            random_secret()
        });
        let state = AppState {
            db,
            keys: TokenKeys::new(&secret, config.token_ttl_minutes),
            throttle: Default::default(),
        };
        bootstrap::ensure_admin(&state.db, &config.admin).await?;
        if config.demo_data {
            crate::demo::load(&state.db).await?;
        }
        let mailer = crate::mail::mailer::Mailer::from_config(&config.mail)?;
        tracing::info!(
            backend = mailer.backend(),
            "notices are mailed through the outbox"
        );
        // Background jobs stop with the server, finishing the round under way.
        let (stop, mut stopping) = tokio::sync::watch::channel(false);
        let stopped = async move {
            let _ = stopping.changed().await;
        };
        let poll = std::time::Duration::from_secs(config.mail.poll_seconds);
        let sender =
            crate::mail::sender::spawn_sender_until(state.db.clone(), mailer, poll, stopped);
        let mut scheduler_handle = None;
        if let Some(schedule) = &config.schedule {
            let holder = crate::leases::holder_name();
            let scheduler = crate::scheduler::start(state.db.clone(), schedule, holder.clone())
                .await
                .map_err(|(variable, e)| StartError::Schedule(variable, e))?;
            scheduler_handle = Some(scheduler);
            let (db, lease) = (state.db.clone(), schedule.lease);
            tokio::spawn(async move {
                if let Err(e) = crate::scheduler::catch_up(&db, &holder, lease).await {
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
        let router = router(&config.http, state.clone());
        Ok(Self {
            listener,
            router,
            state,
            _scheduler: scheduler_handle,
            stop,
            sender,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until Ctrl-C, then finishes in-flight requests and the mail round
    /// under way before returning.
    pub async fn run(self) -> std::io::Result<()> {
        tracing::info!(addr = %self.listener.local_addr()?, "serving GraphQL at /graphql");
        let service = self
            .router
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await;
        let _ = self.stop.send(true);
        let _ = self.sender.await;
        served
    }
}

/// The routes and the HTTP edge's limits. With introspection off, GraphiQL and
/// the SDL are not served either.
fn router(config: &HttpConfig, state: AppState) -> Router {
    let http = Http {
        schema: graphql::build(Some(state.clone()), config.introspection),
        state,
    };
    let graphql = if config.introspection {
        get(graphiql).post(graphql_handler)
    } else {
        post(graphql_handler)
    };
    let mut router = Router::new()
        .route("/graphql", graphql)
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready));
    if config.introspection {
        router = router.route("/schema.graphql", get(schema_sdl));
    }
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(
            config.cors_origins.iter().filter_map(|o| o.parse().ok()),
        ))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]);
    router
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.request_timeout_seconds),
        ))
        .layer(cors)
        .layer(TraceLayer::new_for_http())
        .with_state(Arc::new(http))
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

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

async fn graphiql() -> impl IntoResponse {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
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
    let mut request = req.data(crate::state::ClientAddr(peer.ip()));
    if request.query.trim().is_empty() {
        return client_errors::refused(
            StatusCode::BAD_REQUEST,
            "request body: \"query\" is missing or empty",
        );
    }
    match session::actor_from_headers(&http.state, &headers).await {
        Ok(Some(actor)) => request = request.data(actor),
        Ok(None) => {}
        // The database cannot say who the token is: answer that, not UNAUTHENTICATED.
        Err(e) => return client_errors::failed(e),
    }
    let variables = request
        .variables
        .clone()
        .into_value()
        .into_json()
        .unwrap_or_default();
    if let Some(path) = client_errors::nul_in(&variables) {
        return client_errors::refused(
            StatusCode::BAD_REQUEST,
            format!("{path}: must not contain the NUL character (U+0000)"),
        );
    }
    let mut response = http.schema.execute(request).await;
    client_errors::label(&mut response, &variables);
    GraphQLResponse::from(response).into_response()
}
