# syntax=docker/dockerfile:1
# The govcloud server: built in the Rust image, run in a slim Debian as a
# non-root user. Configuration comes from the environment (see
# docs/operations.md); the image has no database, use PostgreSQL
# (compose.yaml) or mount a volume at /app/data for SQLite.

FROM rust:1-bookworm AS builder
WORKDIR /src
COPY . .
# The caches keep the downloaded crates and the compiled dependencies between
# builds (BuildKit); the binary is copied out of the cached target directory.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin govcloud \
 && cp target/release/govcloud /usr/local/bin/govcloud

FROM debian:bookworm-slim
# ca-certificates: SMTPS and PostgreSQL over TLS; curl: the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --create-home govcloud
COPY --from=builder /usr/local/bin/govcloud /usr/local/bin/govcloud
WORKDIR /app
USER govcloud
# Inside a container the server must listen on all interfaces.
ENV LISTEN_ADDR=0.0.0.0:8080 \
    LOG_FORMAT=json \
    GRAPHQL_INTROSPECTION=0
EXPOSE 8080
# Liveness only: /readyz (database reachable, migrations applied) is for the
# load balancer.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
# SIGTERM starts a graceful shutdown (up to SHUTDOWN_GRACE_SECONDS); give
# `docker stop` at least that long: `stop_grace_period` in compose.yaml.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/govcloud"]
CMD ["serve"]
