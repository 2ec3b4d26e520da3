//! The upload panel of the documents page (editors and above): drop or choose several
//! files, check each one's property, period and type (guessed from the filename when it
//! says so plainly, otherwise taken from the panel's pickers), then upload them one after
//! another through `POST /api/v1/documents`, each with a progress bar fed by the
//! browser's real upload progress and its own result: accepted, duplicate (with a link to
//! the existing document), too large, wrong type, quota, or the server's reason.

use leptos::prelude::*;
use serde::Deserialize;

use crate::shared::document::{DocType, MAX_UPLOAD_BYTES};
use crate::shared::guess::guess;
use crate::shared::org::PropertyRow;

/// How one file's upload ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Accepted {
        id: String,
    },
    /// The same bytes already exist for this property, period and type.
    Duplicate {
        id: String,
        message: String,
    },
    /// Refused, with the API's error code (`too_large`, `wrong_type`, `quota_exceeded`,
    /// `validation`, …) and its message.
    Refused {
        code: String,
        message: String,
    },
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorFields,
}

#[derive(Deserialize)]
struct ErrorFields {
    code: String,
    message: String,
    #[serde(default)]
    existing_id: Option<String>,
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

/// Reads the API's answer to one upload (`status` 0: the connection failed).
pub fn outcome(status: u16, body: &str) -> Outcome {
    if status == 201
        && let Ok(c) = serde_json::from_str::<Created>(body)
    {
        return Outcome::Accepted { id: c.id };
    }
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => match error.existing_id {
            Some(id) if error.code == "duplicate" => Outcome::Duplicate {
                id,
                message: error.message,
            },
            _ => Outcome::Refused {
                code: error.code,
                message: error.message,
            },
        },
        // A 413 can arrive from the body limit before the API shapes it, or the
        // connection can be cut once the limit is crossed.
        Err(_) if status == 413 => too_large(None),
        Err(_) if status == 0 => Outcome::Refused {
            code: "network".into(),
            message: "The upload did not reach the server. Check the connection and try again."
                .into(),
        },
        Err(_) => Outcome::Refused {
            code: "internal".into(),
            message: format!("The server answered {status}. Please try again."),
        },
    }
}

fn too_large(size: Option<f64>) -> Outcome {
    let limit = MAX_UPLOAD_BYTES / 1_000_000;
    Outcome::Refused {
        code: "too_large".into(),
        message: match size {
            Some(s) => format!(
                "This file is {:.1} MB; files can be at most {limit} MB.",
                s / 1e6
            ),
            None => format!("This file is larger than {limit} MB, the most a file can be."),
        },
    }
}

/// What can be said before sending: too large, or not a type we take.
pub fn precheck(name: &str, size: f64) -> Option<Outcome> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "pdf" | "csv" | "xlsx") {
        return Some(Outcome::Refused {
            code: "wrong_type".into(),
            message: "Only PDF, CSV and XLSX files can be uploaded.".into(),
        });
    }
    (size > MAX_UPLOAD_BYTES as f64).then(|| too_large(Some(size)))
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The chosen files by row key. A `File` cannot cross threads, so it stays out of the
/// reactive graph: the server renders the panel too and drops its owners on whatever
/// thread finishes the response (a thread-bound value there panicked). Only the browser,
/// single-threaded, ever adds to it.
mod files {
    use std::cell::RefCell;
    use std::collections::HashMap;

    thread_local! {
        static FILES: RefCell<(u64, HashMap<u64, web_sys::File>)> = RefCell::new((0, HashMap::new()));
    }

    /// Keeps `file`; returns its key.
    pub fn add(file: web_sys::File) -> u64 {
        FILES.with_borrow_mut(|(next, map)| {
            *next += 1;
            map.insert(*next, file);
            *next
        })
    }

    pub fn get(key: u64) -> Option<web_sys::File> {
        FILES.with_borrow(|(_, map)| map.get(&key).cloned())
    }

    pub fn remove(keys: &[u64]) {
        FILES.with_borrow_mut(|(_, map)| keys.iter().for_each(|k| drop(map.remove(k))));
    }
}

/// A heading for a refusal's code.
fn refusal_title(code: &str) -> &'static str {
    match code {
        "too_large" => "Too large",
        "wrong_type" | "not_utf8" | "empty_file" => "Wrong type",
        "quota_exceeded" => "Quota reached",
        "encrypted_pdf" => "Encrypted PDF",
        "too_many_pages" | "xlsx_too_large" => "Too big to process",
        "validation" => "Check the details",
        "forbidden" => "Not allowed",
        "unauthenticated" => "Logged out",
        _ => "Not uploaded",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Stage {
    Ready,
    Uploading,
    Done(Outcome),
}

/// One file in the panel. The `File` itself lives in [`files`] under `key`.
#[derive(Clone, Copy)]
struct Item {
    key: u64,
    name: StoredValue<String>,
    size: f64,
    property: RwSignal<String>,
    period: RwSignal<String>,
    doc_type: RwSignal<String>,
    /// Which of property, period and type the filename gave (the panel's pickers do not
    /// overwrite those).
    guessed: (bool, bool, bool),
    /// Percent of the body sent.
    progress: RwSignal<u32>,
    stage: RwSignal<Stage>,
    /// What is missing before this file can go.
    problem: RwSignal<Option<String>>,
}

const SELECT: &str =
    "block w-full rounded border border-slate-300 px-2 py-1.5 text-sm disabled:bg-slate-100";

/// The panel. `on_uploaded` runs after each accepted file (the list refreshes).
#[component]
pub fn UploadPanel(
    slug: String,
    properties: Vec<PropertyRow>,
    on_uploaded: Callback<()>,
) -> impl IntoView {
    if properties.is_empty() {
        return view! {
            <section aria-label="Upload documents" class="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
                "Documents belong to a property. "
                <a href=format!("/o/{slug}/properties") class="text-indigo-700 hover:underline">"Add a property"</a>
                " first, then upload its monthly package here."
            </section>
        }
        .into_any();
    }
    let codes: Vec<String> = properties.iter().map(|p| p.code.clone()).collect();
    let only_property = (properties.len() == 1).then(|| properties[0].code.clone());
    let picker_options = properties
        .iter()
        .map(|p| view! { <option value=p.code.clone()>{format!("{} — {}", p.code, p.name)}</option> })
        .collect_view();
    // Row views are built inside reactive closures: shared through stored values.
    let properties = StoredValue::new(properties);
    let row_slug = StoredValue::new(slug.clone());
    let default_property = RwSignal::new(only_property.unwrap_or_default());
    let default_period = RwSignal::new(String::new());
    let default_type = RwSignal::new(String::new());
    let items: RwSignal<Vec<Item>> = RwSignal::new(Vec::new());
    let dragging = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let add_files = move |list: web_sys::FileList| {
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let key = files::add(file.clone());
            let name = file.name();
            let g = guess(&name, &codes);
            let item = Item {
                key,
                size: file.size(),
                guessed: (
                    g.property.is_some(),
                    g.period.is_some(),
                    g.doc_type.is_some(),
                ),
                property: RwSignal::new(
                    g.property
                        .unwrap_or_else(|| default_property.get_untracked()),
                ),
                period: RwSignal::new(g.period.unwrap_or_else(|| default_period.get_untracked())),
                doc_type: RwSignal::new(
                    g.doc_type
                        .map(|d| d.as_str().to_string())
                        .unwrap_or_else(|| default_type.get_untracked()),
                ),
                progress: RwSignal::new(0),
                stage: RwSignal::new(match precheck(&name, file.size()) {
                    Some(refused) => Stage::Done(refused),
                    None => Stage::Ready,
                }),
                problem: RwSignal::new(None),
                name: StoredValue::new(name),
            };
            items.update(|list| list.push(item));
        }
    };

    let add_dropped = add_files.clone();
    // Leaving the page lets go of the files still listed.
    on_cleanup(move || {
        if let Some(keys) =
            items.try_with_untracked(|l| l.iter().map(|i| i.key).collect::<Vec<_>>())
        {
            files::remove(&keys);
        }
    });

    // A panel-level pick is the default for files added later, and applies to every
    // waiting file whose name did not say otherwise.
    let pick = move |default: RwSignal<String>,
                     field: fn(&Item) -> (bool, RwSignal<String>),
                     value: String| {
        default.set(value.clone());
        for item in items.get_untracked() {
            let (guessed, signal) = field(&item);
            if !guessed && item.stage.get_untracked() == Stage::Ready {
                signal.set(value.clone());
            }
        }
    };

    let ready_count =
        move || items.with(|l| l.iter().filter(|i| i.stage.get() == Stage::Ready).count());
    let finished =
        move || items.with(|l| l.iter().any(|i| matches!(i.stage.get(), Stage::Done(_))));

    let upload_all = {
        let slug = slug.clone();
        move |_| {
            let waiting: Vec<Item> = items
                .get_untracked()
                .into_iter()
                .filter(|i| i.stage.get_untracked() == Stage::Ready)
                .collect();
            let mut complete = true;
            for item in &waiting {
                let missing: Vec<&str> = [
                    (item.property.get_untracked().is_empty(), "a property"),
                    (item.period.get_untracked().is_empty(), "a period"),
                    (item.doc_type.get_untracked().is_empty(), "a type"),
                ]
                .into_iter()
                .filter_map(|(empty, what)| empty.then_some(what))
                .collect();
                item.problem.set(
                    (!missing.is_empty())
                        .then(|| format!("Choose {} for this file.", and_list(&missing))),
                );
                complete &= missing.is_empty();
            }
            if !complete || waiting.is_empty() {
                return;
            }
            busy.set(true);
            let slug = slug.clone();
            leptos::task::spawn_local(async move {
                for item in waiting {
                    send(&slug, item, on_uploaded).await;
                }
                busy.set(false);
            });
        }
    };

    view! {
        <section aria-labelledby="upload-heading" class="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <h2 id="upload-heading" class="text-lg font-semibold">"Upload documents"</h2>
            <div class="grid gap-3 md:grid-cols-3">
                <div class="space-y-1">
                    <label for="upload-property" class="block text-xs font-medium text-slate-600">"Property"</label>
                    <select id="upload-property" class=SELECT prop:value=move || default_property.get()
                        on:change=move |ev| pick(default_property, |i| (i.guessed.0, i.property), event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {picker_options}
                    </select>
                </div>
                <div class="space-y-1">
                    <label for="upload-period" class="block text-xs font-medium text-slate-600">"Period"</label>
                    <input id="upload-period" type="month" class=SELECT prop:value=move || default_period.get()
                        on:change=move |ev| pick(default_period, |i| (i.guessed.1, i.period), event_target_value(&ev))/>
                </div>
                <div class="space-y-1">
                    <label for="upload-type" class="block text-xs font-medium text-slate-600">"Type"</label>
                    <select id="upload-type" class=SELECT prop:value=move || default_type.get()
                        on:change=move |ev| pick(default_type, |i| (i.guessed.2, i.doc_type), event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {DocType::ALL.into_iter().map(|d| view! { <option value=d.as_str()>{d.label()}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <div
                data-testid="drop-zone"
                class=move || format!(
                    "flex flex-col items-center gap-2 rounded-lg border-2 border-dashed p-6 text-center text-sm focus-within:ring-2 focus-within:ring-indigo-500 {}",
                    if dragging.get() { "border-indigo-500 bg-indigo-50" } else { "border-slate-300 bg-slate-50" },
                )
                on:dragenter=move |ev| { ev.prevent_default(); dragging.set(true); }
                on:dragover=move |ev| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop={
                    move |ev: leptos::ev::DragEvent| {
                        ev.prevent_default();
                        dragging.set(false);
                        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
                            add_dropped(list);
                        }
                    }
                }
            >
                <p class="text-slate-700">"Drop PDF, CSV or XLSX files here, or"</p>
                <label for="upload-files" class="cursor-pointer rounded border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-100">"Choose files"</label>
                <input id="upload-files" type="file" multiple accept=".pdf,.csv,.xlsx,application/pdf,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" class="sr-only"
                    on:change=move |ev| {
                        let input = event_target::<web_sys::HtmlInputElement>(&ev);
                        if let Some(list) = input.files() {
                            add_files(list);
                        }
                        // The same file can be chosen again after removing it.
                        input.set_value("");
                    }/>
                <p class="text-xs text-slate-500">{format!("Up to {} MB each. Property, period and type are read from the file name when it says so plainly; check them before uploading.", MAX_UPLOAD_BYTES / 1_000_000)}</p>
            </div>
            <Show when=move || !items.with(Vec::is_empty)>
                <ul aria-label="Files to upload" class="divide-y divide-slate-100 rounded border border-slate-200">
                    <For each=move || items.get() key=|i| i.key let:item>
                        <FileRow item properties=properties.get_value() slug=row_slug.get_value() on_remove=Callback::new(move |key: u64| {
                            items.update(|l| l.retain(|i| i.key != key));
                            files::remove(&[key]);
                        })/>
                    </For>
                </ul>
                <div class="flex flex-wrap items-center gap-3">
                    <button type="button" on:click=upload_all.clone() disabled=move || busy.get() || ready_count() == 0
                        class="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50">
                        {move || match ready_count() { 1 => "Upload 1 file".to_string(), n => format!("Upload {n} files") }}
                    </button>
                    <Show when=move || finished() && !busy.get()>
                        <button type="button" class="rounded border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
                            on:click=move |_| {
                                let done: Vec<u64> = items.get_untracked().iter().filter(|i| matches!(i.stage.get_untracked(), Stage::Done(_))).map(|i| i.key).collect();
                                items.update(|l| l.retain(|i| !done.contains(&i.key)));
                                files::remove(&done);
                            }>"Clear finished"</button>
                    </Show>
                </div>
            </Show>
        </section>
    }
    .into_any()
}

/// Uploads one file and records how it went.
async fn send(slug: &str, item: Item, on_uploaded: Callback<()>) {
    let Some(file) = files::get(item.key) else {
        return;
    };
    item.problem.set(None);
    item.stage.set(Stage::Uploading);
    item.progress.set(0);
    let Ok(form) = web_sys::FormData::new() else {
        return;
    };
    let _ = form.append_with_str("property", &item.property.get_untracked());
    let _ = form.append_with_str("period", &item.period.get_untracked());
    let _ = form.append_with_str("doc_type", &item.doc_type.get_untracked());
    let _ = form.append_with_blob_and_filename("file", &file, &file.name());
    let progress = item.progress;
    let answer = crate::ui::xhr::post_form(
        "/api/v1/documents",
        &[("X-Org", slug), ("Accept", "application/json")],
        &form,
        move |sent, total| {
            if total > 0.0 {
                progress.set(((sent / total) * 100.0).round().clamp(0.0, 100.0) as u32);
            }
        },
    )
    .await;
    let result = outcome(answer.status, &answer.body);
    if matches!(result, Outcome::Accepted { .. }) {
        progress.set(100);
        on_uploaded.run(());
    }
    item.stage.set(Stage::Done(result));
}

#[component]
fn FileRow(
    item: Item,
    properties: Vec<PropertyRow>,
    slug: String,
    on_remove: Callback<u64>,
) -> impl IntoView {
    let name = item.name.get_value();
    let editable = move || item.stage.get() == Stage::Ready;
    let id = move |field: &str| format!("upload-{}-{field}", item.key);
    let size = crate::ui::format::human_size(item.size as i64);
    let problem_id = id("problem");
    view! {
        <li aria-label=name.clone() class="space-y-2 p-3">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <p class="text-sm font-medium text-slate-800 break-all">{name.clone()} <span class="font-normal text-slate-500">{format!(" · {size}")}</span></p>
                <Show when=move || !matches!(item.stage.get(), Stage::Uploading)>
                    <button type="button" on:click=move |_| on_remove.run(item.key) aria-label=format!("Remove {}", item.name.get_value())
                        class="text-xs text-slate-500 hover:text-red-700">"Remove"</button>
                </Show>
            </div>
            <Show when=move || { !matches!(item.stage.get(), Stage::Done(Outcome::Refused { .. })) || item.progress.get() != 0 }>
                <div class="grid gap-2 sm:grid-cols-3">
                    <label class="text-xs text-slate-600">"Property"
                        <select id=id("property") class=SELECT disabled=move || !editable() prop:value=move || item.property.get()
                            aria-describedby=problem_id.clone()
                            on:change=move |ev| { item.property.set(event_target_value(&ev)); item.problem.set(None); }>
                            <option value="">"Choose…"</option>
                            {properties.iter().map(|p| view! { <option value=p.code.clone()>{p.code.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="text-xs text-slate-600">"Period"
                        <input id=id("period") type="month" class=SELECT disabled=move || !editable() prop:value=move || item.period.get()
                            on:change=move |ev| { item.period.set(event_target_value(&ev)); item.problem.set(None); }/>
                    </label>
                    <label class="text-xs text-slate-600">"Type"
                        <select id=id("type") class=SELECT disabled=move || !editable() prop:value=move || item.doc_type.get()
                            on:change=move |ev| { item.doc_type.set(event_target_value(&ev)); item.problem.set(None); }>
                            <option value="">"Choose…"</option>
                            {DocType::ALL.into_iter().map(|d| view! { <option value=d.as_str()>{d.label()}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
            </Show>
            <Show when=move || { item.stage.get() == Stage::Uploading || item.progress.get() != 0 }>
                <div role="progressbar" aria-label=format!("Upload progress of {}", item.name.get_value()) aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow=move || item.progress.get().to_string() class="h-2 w-full overflow-hidden rounded bg-slate-200">
                    <div class=move || format!("h-2 transition-all {}", match item.stage.get() {
                        Stage::Done(Outcome::Refused { .. }) => "bg-red-500",
                        Stage::Done(Outcome::Duplicate { .. }) => "bg-amber-500",
                        _ => "bg-indigo-600",
                    }) style=move || format!("width: {}%", item.progress.get())></div>
                </div>
            </Show>
            <p id=id("problem") class="text-sm text-red-700">{move || item.problem.get()}</p>
            {
                let slug = slug.clone();
                move || match item.stage.get() {
                    Stage::Ready => ().into_any(),
                    Stage::Uploading => view! {
                        <p role="status" class="text-sm text-slate-600">{move || if item.progress.get() >= 100 { "Checking and storing…".to_string() } else { format!("Uploading… {}%", item.progress.get()) }}</p>
                    }.into_any(),
                    Stage::Done(Outcome::Accepted { id }) => view! {
                        <p role="status" class="text-sm text-green-800">
                            "Uploaded — queued for extraction. "
                            <a href=format!("/o/{slug}/documents/{id}") class="text-indigo-700 underline">"Open the document"</a>
                        </p>
                    }.into_any(),
                    Stage::Done(Outcome::Duplicate { id, message }) => view! {
                        <p role="status" class="text-sm text-amber-800">
                            <strong>"Duplicate: "</strong>{message}" "
                            <a href=format!("/o/{slug}/documents/{id}") class="text-indigo-700 underline">"View the existing document"</a>
                        </p>
                    }.into_any(),
                    Stage::Done(Outcome::Refused { code, message }) => view! {
                        <p role="alert" class="text-sm text-red-800"><strong>{format!("{}: ", refusal_title(&code))}</strong>{message}</p>
                    }.into_any(),
                }
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_outcomes() {
        assert_eq!(
            outcome(201, r#"{"id":"abc","status":"queued","job_id":"j"}"#),
            Outcome::Accepted { id: "abc".into() }
        );
        assert_eq!(
            outcome(
                409,
                r#"{"error":{"code":"duplicate","message":"Already.","existing_id":"e1","link":"/api/v1/documents/e1"}}"#
            ),
            Outcome::Duplicate {
                id: "e1".into(),
                message: "Already.".into()
            }
        );
        assert_eq!(
            outcome(
                402,
                r#"{"error":{"code":"quota_exceeded","message":"10 of 10 documents"}}"#
            ),
            Outcome::Refused {
                code: "quota_exceeded".into(),
                message: "10 of 10 documents".into()
            }
        );
        assert!(
            matches!(outcome(413, "<html>"), Outcome::Refused { code, .. } if code == "too_large")
        );
        assert!(matches!(outcome(0, ""), Outcome::Refused { code, .. } if code == "network"));
        assert!(
            matches!(outcome(502, "bad gateway"), Outcome::Refused { code, .. } if code == "internal")
        );
    }

    #[test]
    fn prechecks_refuse_what_the_server_would() {
        assert_eq!(precheck("a.pdf", 1000.0), None);
        assert_eq!(precheck("A.XLSX", 1000.0), None);
        assert!(
            matches!(precheck("notes.txt", 10.0), Some(Outcome::Refused { code, .. }) if code == "wrong_type")
        );
        assert!(
            matches!(precheck("noext", 10.0), Some(Outcome::Refused { code, .. }) if code == "wrong_type")
        );
        let big = precheck("big.pdf", 60e6);
        assert!(
            matches!(&big, Some(Outcome::Refused { code, message }) if code == "too_large" && message.contains("60.0 MB")),
            "{big:?}"
        );
        assert_eq!(precheck("edge.pdf", MAX_UPLOAD_BYTES as f64), None);
    }

    #[test]
    fn missing_fields_read_as_a_sentence() {
        assert_eq!(and_list(&["a property"]), "a property");
        assert_eq!(and_list(&["a property", "a type"]), "a property and a type");
        assert_eq!(
            and_list(&["a property", "a period", "a type"]),
            "a property, a period and a type"
        );
    }

    #[test]
    fn every_refusal_has_a_title() {
        assert_eq!(refusal_title("wrong_type"), "Wrong type");
        assert_eq!(refusal_title("quota_exceeded"), "Quota reached");
        assert_eq!(refusal_title("something_new"), "Not uploaded");
    }
}
