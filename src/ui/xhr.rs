//! Browser-side multipart POST with upload progress. `fetch` cannot report how much of a
//! request body has been sent, so the upload panel uses `XMLHttpRequest`, wrapped here in
//! a future. Runs only in the browser (the server never calls it).

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{FormData, ProgressEvent, XmlHttpRequest};

/// How a request ended: its status (0 when the network failed or the browser refused to
/// send) and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    fn network_failure() -> Self {
        Answer {
            status: 0,
            body: String::new(),
        }
    }
}

/// POSTs `form` to `url` with `headers`, calling `on_progress(sent, total)` as the body
/// goes out, and resolves when the answer is in (or the connection failed).
pub async fn post_form(
    url: &str,
    headers: &[(&str, &str)],
    form: &FormData,
    mut on_progress: impl FnMut(f64, f64) + 'static,
) -> Answer {
    let Ok(xhr) = XmlHttpRequest::new() else {
        return Answer::network_failure();
    };
    if xhr.open("POST", url).is_err() {
        return Answer::network_failure();
    }
    for (name, value) in headers {
        let _ = xhr.set_request_header(name, value);
    }
    let (tx, rx) = futures_channel::oneshot::channel::<()>();
    let tx = std::cell::Cell::new(Some(tx));
    // `loadend` follows success, error and abort alike.
    let done = Closure::<dyn FnMut()>::new(move || {
        if let Some(tx) = tx.take() {
            let _ = tx.send(());
        }
    });
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() {
            on_progress(e.loaded(), e.total());
        }
    });
    xhr.set_onloadend(Some(done.as_ref().unchecked_ref()));
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    if xhr.send_with_opt_form_data(Some(form)).is_err() {
        return Answer::network_failure();
    }
    let _ = rx.await;
    // The handlers must outlive the request; they are dropped only now.
    drop((done, progress));
    Answer {
        status: xhr.status().unwrap_or(0),
        body: xhr.response_text().ok().flatten().unwrap_or_default(),
    }
}
