//! The cells a job shows wherever jobs are listed (the org's jobs page, the staff
//! console): state badge, progress bar with its step, attempts, last error, dates.

use leptos::prelude::*;

use crate::shared::job::JobView;
use crate::ui::format::short_time;

fn badge(state: &str) -> &'static str {
    match state {
        "done" => "bg-green-100 text-green-800",
        "running" => "bg-indigo-100 text-indigo-800",
        "failed" => "bg-amber-100 text-amber-800",
        "dead" => "bg-red-100 text-red-800",
        _ => "bg-slate-100 text-slate-700",
    }
}

/// The header cells matching [`JobCells`].
#[component]
pub fn JobHeaders() -> impl IntoView {
    let th = "px-3 py-2 font-medium";
    view! {
        <th scope="col" class=th>"Job"</th>
        <th scope="col" class=th>"State"</th>
        <th scope="col" class=th>"Progress"</th>
        <th scope="col" class=th>"Attempts"</th>
        <th scope="col" class=th>"Last error"</th>
        <th scope="col" class=th>"Updated"</th>
    }
}

/// One job's cells.
#[component]
pub fn JobCells(job: JobView) -> impl IntoView {
    let waiting =
        (job.state == "failed").then(|| format!("retry after {}", short_time(&job.run_at)));
    view! {
        <td class="px-3 py-2"><span class="font-mono text-xs">{job.kind.clone()}</span></td>
        <td class="px-3 py-2">
            <span class=format!("rounded px-2 py-0.5 text-xs font-medium {}", badge(&job.state))>{job.state.clone()}</span>
            {waiting.map(|w| view! { <p class="mt-1 text-xs text-slate-500">{w}</p> })}
        </td>
        <td class="px-3 py-2">
            <div role="progressbar" aria-label=format!("Progress of job {}", job.id) aria-valuemin="0" aria-valuemax="100" aria-valuenow=job.progress.to_string()
                class="h-2 w-32 overflow-hidden rounded bg-slate-200">
                <div class="h-2 bg-indigo-600" style=format!("width: {}%", job.progress)></div>
            </div>
            {job.step.clone().map(|s| view! { <p class="mt-1 text-xs text-slate-500">{s}</p> })}
        </td>
        <td class="px-3 py-2 tabular-nums">{format!("{} of {}", job.attempts, job.max_attempts)}</td>
        <td class="px-3 py-2 text-xs text-red-800">{job.last_error.clone()}</td>
        <td class="px-3 py-2 text-slate-600">{short_time(&job.updated_at)}</td>
    }
}
