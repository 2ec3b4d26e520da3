//! Logging: pretty lines in development, JSON in production. Every line written while a
//! request is served carries that request's id through the request span. Panics are
//! logged as errors and counted (`panics_total`), so a panic that a response survived
//! still shows — the end-to-end suite fails on any.

use tracing_subscriber::EnvFilter;

use super::config::LogFormat;

/// Installs the global subscriber. `RUST_LOG` overrides the default filter.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,ledgerlens=debug,sqlx=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true);
    // try_init: tests and repeated calls keep the first subscriber instead of panicking.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .flatten_event(true)
            .try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
    count_panics();
}

/// Wraps the panic hook once: count, log, then whatever the hook did before.
fn count_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            metrics::counter!("panics_total").increment(1);
            tracing::error!(panic = %info, "panic");
            previous(info);
        }));
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn panics_are_counted() {
        let handle = crate::server::http::metrics::handle();
        super::count_panics();
        let caught = std::panic::catch_unwind(|| panic!("counted on purpose"));
        assert!(caught.is_err());
        let rendered = handle.render();
        assert!(
            rendered.lines().any(|l| l.starts_with("panics_total ")),
            "{rendered}"
        );
    }
}
