//! Form building blocks. Every field has a visible label tied to its input, and shows
//! the server's message for it inline (`aria-invalid` + `aria-describedby`), so people
//! and tests find errors next to what was wrong.

use leptos::prelude::*;

use crate::shared::UiError;

/// The error of an action's last result, if it failed.
pub fn action_error<T, S>(value: S) -> Signal<Option<UiError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, UiError>>> + Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    })
}

/// After an action that returns the next path succeeds, load that page (a full load,
/// so the whole shell sees the new session).
pub fn go_on_success<S>(value: S)
where
    S: Get<Value = Option<Result<String, UiError>>> + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            let _ = window().location().set_href(&path);
        }
    });
}

/// A labelled input with its inline error.
#[component]
pub fn Field(
    /// Visible label.
    label: &'static str,
    /// Form field name (the server function's argument).
    name: &'static str,
    /// The action error to take this field's message from.
    error: Signal<Option<UiError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] autocomplete: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] readonly: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] placeholder: Option<String>,
    /// Element id when two forms on one page have a field of the same name.
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let id = id
        .map(str::to_string)
        .unwrap_or_else(|| format!("field-{name}"));
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || error.get().and_then(|e| e.field(name).map(str::to_string));
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700">{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                placeholder=placeholder
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                readonly=readonly
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
                class="block w-full rounded border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 aria-[invalid=true]:border-red-500 read-only:bg-slate-100"
            />
            {hint.map(|h| view! { <p id=hint_id class="text-xs text-slate-500">{h}</p> })}
            <Show when=move || message().is_some()>
                <p id=err_id.clone() class="text-sm text-red-700">{message}</p>
            </Show>
        </div>
    }
}

/// The form-level message of a failed action: shown when the error is not about one of
/// `fields` (those show inline instead).
#[component]
pub fn FormAlert(
    error: Signal<Option<UiError>>,
    #[prop(optional)] fields: &'static [&'static str],
) -> impl IntoView {
    let message = move || {
        error.get().and_then(|e| {
            let inline = e.fields.iter().any(|f| fields.contains(&f.field.as_str()));
            (!inline).then_some(e.message)
        })
    };
    view! {
        <Show when=move || message().is_some()>
            <p role="alert" class="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                {message}
            </p>
        </Show>
    }
}

/// A primary submit button that shows progress while the action runs.
#[component]
pub fn SubmitButton(
    label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(default = "")] busy_label: &'static str,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
            class="inline-flex items-center rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60"
        >
            {move || if pending.get() && !busy_label.is_empty() { busy_label } else { label }}
        </button>
    }
}
