//! Jobs over REST: `GET /api/v1/jobs?state=` (newest first), `GET /api/v1/jobs/{id}`
//! (viewers and above), `POST /api/v1/jobs/{id}/retry` (admins; failed or dead jobs,
//! else 409), and live server-sent events: `GET /api/v1/jobs/events` (every job of the
//! org) and `GET /api/v1/jobs/{id}/events` (one job, its current state first).

use std::convert::Infallible;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::{Stream, StreamExt};

use super::ApiCtx;
use crate::server::error::AppError;
use crate::server::jobs::events::JobEvent;
use crate::server::services;
use crate::server::state::AppState;

/// `?state=`
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub state: String,
}

/// The org's newest jobs.
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let jobs = services::jobs::list(&state, &ctx, &q.state).await?;
    Ok(Json(json!({ "jobs": jobs })))
}

/// One job.
pub async fn get(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let id = services::input::id(&id)?;
    Ok(Json(json!(services::jobs::get(&state, &ctx, id).await?)))
}

/// Sends a failed or dead job round again; answers the job.
pub async fn retry(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let id = services::input::id(&id)?;
    Ok(Json(json!(services::jobs::retry(&state, &ctx, id).await?)))
}

/// An SSE event named `name` with a JSON body.
fn sse(name: &str, data: &impl serde::Serialize) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event(name)
        .data(serde_json::to_string(data).unwrap_or_else(|_| "{}".into())))
}

/// The org's changes from `rx` matching `keep`; a receiver that fell behind gets a
/// `resync` event (reload the list) instead of silently missing changes.
fn changes(
    rx: tokio::sync::broadcast::Receiver<JobEvent>,
    keep: impl Fn(&JobEvent) -> bool + Send + 'static,
) -> impl Stream<Item = Result<Event, Infallible>> {
    BroadcastStream::new(rx).filter_map(move |r| match r {
        Ok(e) if keep(&e) => Some(sse("job", &e)),
        Ok(_) => None,
        Err(BroadcastStreamRecvError::Lagged(_)) => Some(sse("resync", &json!({}))),
    })
}

/// `GET /api/v1/jobs/events`: a `ready` event, then every change of the org's jobs.
pub async fn events(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    services::jobs::may_watch(&ctx)?;
    let org = ctx.org.id.0;
    let rx = state.job_events.subscribe().await;
    let first = tokio_stream::once(sse("ready", &json!({ "org": ctx.org.slug })));
    Ok(Sse::new(first.chain(changes(rx, move |e| e.org_id == org)))
        .keep_alive(KeepAlive::default()))
}

/// `GET /api/v1/jobs/{id}/events`: the job as it is now, then each of its changes.
pub async fn job_events(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let id = services::input::id(&id)?;
    // Subscribe before the snapshot: a change in between is sent, not lost.
    let rx = state.job_events.subscribe().await;
    let now = services::jobs::get(&state, &ctx, id).await?;
    let org = ctx.org.id.0;
    let first = tokio_stream::once(sse(
        "job",
        &JobEvent {
            org_id: org,
            id,
            state: now.state,
            progress: now.progress,
            step: now.step,
        },
    ));
    Ok(
        Sse::new(first.chain(changes(rx, move |e| e.org_id == org && e.id == id)))
            .keep_alive(KeepAlive::default()),
    )
}
