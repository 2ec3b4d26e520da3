//! Live updates in the browser: an `EventSource` on one of the job streams
//! (`/api/v1/jobs/events`) calls back on every change — at most every half second, so a
//! burst of progress updates is one reload — after a reconnect (changes may have been
//! missed), and once when it first listens (the page was rendered before the stream
//! existed). When the browser gives the stream up for good, the page falls back to
//! polling every five seconds. Effects run only in the browser; the server renders the
//! page once, as is.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::EventSource;

/// Calls `on_change` whenever a job behind the stream at `url()` changes, for as long as
/// the calling component lives (re-opened when `url()` changes).
pub fn on_job_changes(url: impl Fn() -> String + Send + Sync + 'static, on_change: Callback<()>) {
    Effect::new(move |_| {
        let live = SendWrapper::new(Live::open(&url(), on_change));
        on_cleanup(move || drop(live));
    });
}

/// [`on_job_changes`] for every job of the org whose slug `slug` holds.
pub fn on_org_job_changes(slug: Memo<String>, on_change: Callback<()>) {
    on_job_changes(
        move || {
            format!(
                "/api/v1/jobs/events?org={}",
                crate::ui::url::encode(&slug.get())
            )
        },
        on_change,
    );
}

/// An open stream and what keeps its handlers alive; closing happens on drop.
struct Live {
    source: Option<EventSource>,
    _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    poll: Rc<RefCell<Option<IntervalHandle>>>,
    /// False once dropped: a throttled call still pending then must not run (its page,
    /// and the callback with it, is gone after a navigation).
    alive: Rc<Cell<bool>>,
}

impl Live {
    fn open(url: &str, on_change: Callback<()>) -> Live {
        let poll = Rc::new(RefCell::new(None));
        let alive = Rc::new(Cell::new(true));
        let Ok(source) = EventSource::new(url) else {
            // No EventSource at all: poll from the start.
            *poll.borrow_mut() =
                set_interval_with_handle(move || on_change.run(()), Duration::from_secs(5)).ok();
            return Live {
                source: None,
                _handlers: Vec::new(),
                poll,
                alive,
            };
        };
        let pending = Rc::new(Cell::new(false));
        let still = alive.clone();
        let soon = move || {
            if !pending.replace(true) {
                let pending = pending.clone();
                let still = still.clone();
                set_timeout(
                    move || {
                        pending.set(false);
                        if still.get() {
                            on_change.run(());
                        }
                    },
                    Duration::from_millis(500),
                );
            }
        };
        let mut handlers = Vec::new();
        for name in ["job", "resync", "ready"] {
            let soon = soon.clone();
            // `ready` too, the first one included: changes made between the server's
            // render and the stream's start (hydration takes a moment) reach no stream,
            // so the page reloads once it listens; later ones follow reconnects.
            let handler = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| soon());
            let _ = source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
            handlers.push(handler);
        }
        let closed = {
            let source = source.clone();
            let poll = poll.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                if source.ready_state() == EventSource::CLOSED && poll.borrow().is_none() {
                    *poll.borrow_mut() =
                        set_interval_with_handle(move || on_change.run(()), Duration::from_secs(5))
                            .ok();
                }
            })
        };
        let _ = source.add_event_listener_with_callback("error", closed.as_ref().unchecked_ref());
        handlers.push(closed);
        Live {
            source: Some(source),
            _handlers: handlers,
            poll,
            alive,
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.alive.set(false);
        if let Some(source) = &self.source {
            source.close();
        }
        if let Some(handle) = self.poll.borrow_mut().take() {
            handle.clear();
        }
    }
}
