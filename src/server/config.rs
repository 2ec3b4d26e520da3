//! Configuration from the environment (plus `.env` in development), validated once at
//! start-up. Every error names the variable at fault; secrets are wrapped in `Secret` so
//! they never reach a log line through `Debug`.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A value that must never be printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a secret value.
    pub fn new(value: T) -> Self {
        Self(value)
    }
    /// The secret itself; call only where it is used, never to log it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where the service runs; production turns on the strict checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Test,
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Which object store holds uploaded files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectStoreConfig {
    /// Local filesystem under `root` (the single-machine default).
    Fs { root: PathBuf },
    /// S3 or an S3-compatible server.
    S3(S3Config),
}

/// Settings of the S3 object store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    /// Custom endpoint for S3-compatible servers; `None` means AWS.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: Secret<String>,
}

/// How outgoing email leaves the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailConfig {
    /// An SMTP relay (`smtp://` with STARTTLS, `smtps://` with TLS; credentials in the URL).
    Smtp { url: Secret<String> },
    /// Development: every message is written as an `.eml` file into `dir` (the dev mail
    /// page lists them; end-to-end tests read them).
    Files { dir: PathBuf },
}

/// The validated configuration of every subcommand.
#[derive(Debug, Clone)]
pub struct Config {
    pub app_env: AppEnv,
    /// Connection of the app role (owns nothing, cannot bypass RLS).
    pub database_url: Secret<String>,
    /// Connection of the owner role, used only by `admin migrate`.
    pub database_owner_url: Option<Secret<String>>,
    pub database_max_connections: u32,
    pub redis_url: Secret<String>,
    pub object_store: ObjectStoreConfig,
    /// Key that signs session cookies (at least 64 bytes).
    pub session_secret: Secret<Vec<u8>>,
    /// Whether cookies carry `Secure` and the `__Host-` prefix.
    pub cookie_secure: bool,
    pub session_idle_timeout: Duration,
    pub session_absolute_lifetime: Duration,
    pub log_format: LogFormat,
    /// Whether `serve` also runs a worker loop in-process.
    pub run_worker: bool,
    /// How long a job's claim holds without a heartbeat (`JOBS_LEASE_SECS`, 30).
    pub jobs_lease: Duration,
    /// Longest wait between looks at the queue without a notification (`JOBS_POLL_SECS`, 5).
    pub jobs_poll: Duration,
    /// Registers the test-only job kinds (`JOBS_TEST_KINDS`; refused in production).
    pub jobs_test_kinds: bool,
    /// Memory cap of one extraction's child process (`EXTRACT_MEMORY_MB`, 1024).
    pub extract_memory_mb: u32,
    /// The binary that runs `extract` children (`EXTRACT_BIN`; the running one when unset).
    pub extract_bin: Option<std::path::PathBuf>,
    /// Public base URL of the app (no trailing slash), for links in emails.
    pub base_url: String,
    pub mail: MailConfig,
    /// Sender of every email, e.g. `Ledgerlens <no-reply@example.com>`.
    pub mail_from: String,
    /// Whether `X-Forwarded-For` names the client (only behind a proxy that sets it).
    pub trust_proxy: bool,
}

/// A configuration problem, naming the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {var} {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

fn bad(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

/// Signing key used when no SESSION_SECRET is set outside production. Production refuses it.
const DEV_SESSION_SECRET: &str =
    "ledgerlens-development-session-secret-not-for-production-use-0123456789";

impl Config {
    /// Reads the process environment (after loading `.env` if present).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
    }

    /// Builds the configuration from any key lookup; tests pass a map.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let app_env = match get("APP_ENV").as_deref() {
            None | Some("development") => AppEnv::Development,
            Some("test") => AppEnv::Test,
            Some("production") => AppEnv::Production,
            Some(other) => {
                return Err(bad(
                    "APP_ENV",
                    format!("must be development, test or production (got {other:?})"),
                ));
            }
        };
        let production = app_env == AppEnv::Production;

        let database_url = required_url(&get, "DATABASE_URL", &["postgres", "postgresql"])?;
        let database_owner_url = get("DATABASE_OWNER_URL")
            .map(|_| required_url(&get, "DATABASE_OWNER_URL", &["postgres", "postgresql"]))
            .transpose()?;
        let database_max_connections = parse_num(&get, "DATABASE_MAX_CONNECTIONS", 10, 1, 1000)?;
        let redis_url = required_url(&get, "REDIS_URL", &["redis", "rediss"])?;
        let object_store = object_store(&get)?;

        let session_secret = match get("SESSION_SECRET") {
            Some(s) if s.len() < 64 => {
                return Err(bad("SESSION_SECRET", "must be at least 64 characters long"));
            }
            Some(s) if production && s == DEV_SESSION_SECRET => {
                return Err(bad(
                    "SESSION_SECRET",
                    "is the development default; production needs a real secret",
                ));
            }
            Some(s) => s.into_bytes(),
            None if production => {
                return Err(bad("SESSION_SECRET", "is required when APP_ENV=production"));
            }
            None => DEV_SESSION_SECRET.as_bytes().to_vec(),
        };

        let cookie_secure = parse_bool(&get, "COOKIE_SECURE", production)?;
        if production && !cookie_secure {
            return Err(bad(
                "COOKIE_SECURE",
                "must be true when APP_ENV=production (cookies would travel over plain HTTP)",
            ));
        }
        let idle_minutes = parse_num(&get, "SESSION_IDLE_MINUTES", 30, 1, 24 * 60)?;
        let absolute_hours = parse_num(&get, "SESSION_ABSOLUTE_HOURS", 12, 1, 24 * 30)?;

        let log_format = match get("LOG_FORMAT").as_deref() {
            None if production => LogFormat::Json,
            None => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => {
                return Err(bad(
                    "LOG_FORMAT",
                    format!("must be json or pretty (got {other:?})"),
                ));
            }
        };
        let run_worker = parse_bool(&get, "RUN_WORKER", true)?;
        let jobs_lease_secs = parse_num(&get, "JOBS_LEASE_SECS", 30, 2, 3600)?;
        let jobs_poll_secs = parse_num(&get, "JOBS_POLL_SECS", 5, 1, 300)?;
        let jobs_test_kinds = parse_bool(&get, "JOBS_TEST_KINDS", false)?;
        let extract_memory_mb = parse_num(&get, "EXTRACT_MEMORY_MB", 1024, 64, 65_536)?;
        let extract_bin = get("EXTRACT_BIN").map(std::path::PathBuf::from);
        if production && jobs_test_kinds {
            return Err(bad(
                "JOBS_TEST_KINDS",
                "is for tests; it must be off in production",
            ));
        }

        let base_url = match get("APP_BASE_URL") {
            Some(raw) => {
                let ok = url::Url::parse(&raw)
                    .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                    .unwrap_or(false);
                if !ok {
                    return Err(bad("APP_BASE_URL", "must be an http(s) URL"));
                }
                raw.trim_end_matches('/').to_string()
            }
            None if production => {
                return Err(bad("APP_BASE_URL", "is required when APP_ENV=production"));
            }
            None => "http://127.0.0.1:3000".into(),
        };
        let mail = match get("SMTP_URL") {
            Some(_) => MailConfig::Smtp {
                url: required_url(&get, "SMTP_URL", &["smtp", "smtps"])?,
            },
            None if production => {
                return Err(bad(
                    "SMTP_URL",
                    "is required when APP_ENV=production (mail would only be written to files)",
                ));
            }
            None => MailConfig::Files {
                dir: get("MAIL_DIR").unwrap_or_else(|| "data/mail".into()).into(),
            },
        };
        let mail_from =
            get("MAIL_FROM").unwrap_or_else(|| "Ledgerlens <no-reply@ledgerlens.local>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(bad(
                "MAIL_FROM",
                "must be an address like Name <user@example.com>",
            ));
        }
        let trust_proxy = parse_bool(&get, "TRUST_PROXY", false)?;

        Ok(Self {
            app_env,
            database_url,
            database_owner_url,
            database_max_connections,
            redis_url,
            object_store,
            session_secret: Secret::new(session_secret),
            cookie_secure,
            session_idle_timeout: Duration::from_secs(u64::from(idle_minutes) * 60),
            session_absolute_lifetime: Duration::from_secs(u64::from(absolute_hours) * 3600),
            log_format,
            run_worker,
            jobs_lease: Duration::from_secs(u64::from(jobs_lease_secs)),
            jobs_poll: Duration::from_secs(u64::from(jobs_poll_secs)),
            jobs_test_kinds,
            extract_memory_mb,
            extract_bin,
            base_url,
            mail,
            mail_from,
            trust_proxy,
        })
    }

    /// Name of the session cookie: `__Host-` prefixed whenever cookies are `Secure`.
    pub fn session_cookie_name(&self) -> &'static str {
        if self.cookie_secure {
            "__Host-ledgerlens_session"
        } else {
            "ledgerlens_session"
        }
    }
}

fn required_url(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    schemes: &[&str],
) -> Result<Secret<String>, ConfigError> {
    let value = get(var).ok_or_else(|| bad(var, "is missing"))?;
    // Never echo the value: URLs carry passwords.
    let parsed = url::Url::parse(&value).map_err(|_| bad(var, "is not a valid URL"))?;
    if !schemes.contains(&parsed.scheme()) {
        return Err(bad(
            var,
            format!("must use the {} scheme", schemes.join(" or ")),
        ));
    }
    Ok(Secret::new(value))
}

fn parse_bool(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(var).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(bad(var, format!("must be true or false (got {other:?})"))),
    }
}

fn parse_num(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: u32,
    min: u32,
    max: u32,
) -> Result<u32, ConfigError> {
    let Some(raw) = get(var) else {
        return Ok(default);
    };
    match raw.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(bad(
            var,
            format!("must be a whole number from {min} to {max} (got {raw:?})"),
        )),
    }
}

fn object_store(get: &impl Fn(&str) -> Option<String>) -> Result<ObjectStoreConfig, ConfigError> {
    match get("OBJECT_STORE").as_deref() {
        None | Some("fs") => Ok(ObjectStoreConfig::Fs {
            root: get("STORAGE_FS_ROOT")
                .unwrap_or_else(|| "data/objects".into())
                .into(),
        }),
        Some("s3") => {
            let need = |var: &'static str| {
                get(var).ok_or_else(|| bad(var, "is missing (OBJECT_STORE=s3)"))
            };
            let endpoint = get("S3_ENDPOINT");
            if let Some(e) = &endpoint {
                let ok = url::Url::parse(e)
                    .map(|u| matches!(u.scheme(), "http" | "https"))
                    .unwrap_or(false);
                if !ok {
                    return Err(bad("S3_ENDPOINT", "must be an http(s) URL"));
                }
            }
            Ok(ObjectStoreConfig::S3(S3Config {
                endpoint,
                bucket: need("S3_BUCKET")?,
                region: get("S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                access_key_id: need("S3_ACCESS_KEY_ID")?,
                secret_access_key: Secret::new(need("S3_SECRET_ACCESS_KEY")?),
            }))
        }
        Some(other) => Err(bad(
            "OBJECT_STORE",
            format!("must be fs or s3 (got {other:?})"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut map: HashMap<String, String> = [
            (
                "DATABASE_URL",
                "postgres://ledgerlens_app@127.0.0.1/ledgerlens",
            ),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (k, v) in pairs {
            if v.is_empty() {
                map.remove(*k);
            } else {
                map.insert(k.to_string(), v.to_string());
            }
        }
        Config::from_lookup(|k| map.get(k).cloned())
    }

    const PROD_SECRET: &str =
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-prod";

    #[test]
    fn development_defaults_are_usable() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.app_env, AppEnv::Development);
        assert!(!c.cookie_secure);
        assert_eq!(c.session_cookie_name(), "ledgerlens_session");
        assert_eq!(c.log_format, LogFormat::Pretty);
        assert_eq!(c.session_idle_timeout, Duration::from_secs(30 * 60));
        assert_eq!(c.session_absolute_lifetime, Duration::from_secs(12 * 3600));
        assert_eq!(c.base_url, "http://127.0.0.1:3000");
        assert_eq!(
            c.mail,
            MailConfig::Files {
                dir: "data/mail".into()
            }
        );
        assert!(!c.trust_proxy);
        assert_eq!(
            cfg(&[("MAIL_FROM", "not an address")]).unwrap_err().var,
            "MAIL_FROM"
        );
        assert_eq!(
            cfg(&[("APP_BASE_URL", "ftp://x")]).unwrap_err().var,
            "APP_BASE_URL"
        );
    }

    #[test]
    fn missing_database_url_is_named() {
        let e = cfg(&[("DATABASE_URL", "")]).unwrap_err();
        assert_eq!(e.var, "DATABASE_URL");
        assert_eq!(
            e.to_string(),
            "configuration error: DATABASE_URL is missing"
        );
    }

    #[test]
    fn bad_values_name_their_variable_and_hide_secrets() {
        let e = cfg(&[("REDIS_URL", "http://user:hunter2@x")]).unwrap_err();
        assert_eq!(e.var, "REDIS_URL");
        assert!(!e.to_string().contains("hunter2"));
        assert_eq!(cfg(&[("APP_ENV", "staging")]).unwrap_err().var, "APP_ENV");
        assert_eq!(
            cfg(&[("RUN_WORKER", "maybe")]).unwrap_err().var,
            "RUN_WORKER"
        );
        assert_eq!(
            cfg(&[("JOBS_LEASE_SECS", "1")]).unwrap_err().var,
            "JOBS_LEASE_SECS"
        );
        assert_eq!(
            cfg(&[("DATABASE_MAX_CONNECTIONS", "0")]).unwrap_err().var,
            "DATABASE_MAX_CONNECTIONS"
        );
        assert_eq!(cfg(&[("OBJECT_STORE", "s3")]).unwrap_err().var, "S3_BUCKET");
        assert_eq!(
            cfg(&[("SESSION_SECRET", "short")]).unwrap_err().var,
            "SESSION_SECRET"
        );
    }

    #[test]
    fn production_refuses_missing_or_default_secret_and_insecure_cookies() {
        let e = cfg(&[("APP_ENV", "production")]).unwrap_err();
        assert_eq!(e.var, "SESSION_SECRET");
        let e = cfg(&[
            ("APP_ENV", "production"),
            ("SESSION_SECRET", DEV_SESSION_SECRET),
        ])
        .unwrap_err();
        assert_eq!(e.var, "SESSION_SECRET");
        let e = cfg(&[
            ("APP_ENV", "production"),
            ("SESSION_SECRET", PROD_SECRET),
            ("COOKIE_SECURE", "false"),
        ])
        .unwrap_err();
        assert_eq!(e.var, "COOKIE_SECURE");
        let prod = [
            ("APP_ENV", "production"),
            ("SESSION_SECRET", PROD_SECRET),
            ("APP_BASE_URL", "https://app.example.com/"),
            ("SMTP_URL", "smtps://user:pw@smtp.example.com"),
        ];
        assert_eq!(cfg(&prod[..3]).unwrap_err().var, "SMTP_URL");
        assert_eq!(cfg(&prod[..2]).unwrap_err().var, "APP_BASE_URL");
        let ok = cfg(&prod).unwrap();
        assert_eq!(ok.base_url, "https://app.example.com");
        assert!(matches!(ok.mail, MailConfig::Smtp { .. }));
        assert!(ok.cookie_secure);
        assert_eq!(ok.session_cookie_name(), "__Host-ledgerlens_session");
        assert_eq!(ok.log_format, LogFormat::Json);
        assert!(!ok.jobs_test_kinds);
        let mut with_test_kinds = prod.to_vec();
        with_test_kinds.push(("JOBS_TEST_KINDS", "true"));
        assert_eq!(cfg(&with_test_kinds).unwrap_err().var, "JOBS_TEST_KINDS");
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let c = cfg(&[
            ("DATABASE_URL", "postgres://app:pw-in-url@127.0.0.1/db"),
            ("SESSION_SECRET", PROD_SECRET),
        ])
        .unwrap();
        let printed = format!("{c:?}");
        assert!(!printed.contains("pw-in-url"));
        assert!(!printed.contains(PROD_SECRET));
        assert!(printed.contains("[redacted]"));
    }

    #[test]
    fn s3_settings_are_read() {
        let c = cfg(&[
            ("OBJECT_STORE", "s3"),
            ("S3_ENDPOINT", "http://127.0.0.1:9100"),
            ("S3_BUCKET", "docs"),
            ("S3_ACCESS_KEY_ID", "K"),
            ("S3_SECRET_ACCESS_KEY", "S"),
        ])
        .unwrap();
        let ObjectStoreConfig::S3(s3) = c.object_store else {
            panic!("expected s3");
        };
        assert_eq!(s3.bucket, "docs");
        assert_eq!(s3.region, "us-east-1");
        assert_eq!(
            cfg(&[
                ("OBJECT_STORE", "s3"),
                ("S3_ENDPOINT", "ftp://x"),
                ("S3_BUCKET", "b"),
                ("S3_ACCESS_KEY_ID", "K"),
                ("S3_SECRET_ACCESS_KEY", "S")
            ])
            .unwrap_err()
            .var,
            "S3_ENDPOINT"
        );
    }
}
