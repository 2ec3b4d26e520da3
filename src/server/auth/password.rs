//! Passwords: the policy a new password must meet, and argon2id hashing with the crate
//! defaults (19 MiB, t=2, p=1). Hashing and verifying take tens of milliseconds of CPU,
//! so they run on the blocking pool, never on an async worker thread.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::server::error::AppError;

/// Shortest accepted password, in characters.
pub const MIN_CHARS: usize = 12;
/// Longest accepted password, in characters (long passphrases are welcome; this only
/// bounds the work an attacker can make us do).
pub const MAX_CHARS: usize = 128;
/// Minimum zxcvbn score (0–4): 3 means "safely unguessable" for an online attacker and
/// moderate protection offline; it refuses common passwords and keyboard patterns.
const MIN_SCORE: u8 = 3;

/// Checks a new password against the policy; `user_inputs` (email, name, org) count as
/// known words. The error is a field error on `password` with an actionable message.
pub fn check_policy(password: &str, user_inputs: &[&str]) -> Result<(), AppError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(AppError::field(
            "password",
            format!("Use at least {MIN_CHARS} characters."),
        ));
    }
    if chars > MAX_CHARS {
        return Err(AppError::field(
            "password",
            format!("Use at most {MAX_CHARS} characters."),
        ));
    }
    let words = personal_words(user_inputs);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(password, &words);
    if (estimate.score() as u8) < MIN_SCORE {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| w.to_string()))
            .unwrap_or_else(|| "This password is too easy to guess.".into());
        return Err(AppError::field(
            "password",
            format!("{hint} Try a longer phrase of unrelated words."),
        ));
    }
    Ok(())
}

/// zxcvbn matches known words as whole dictionary entries, so an email or a full name
/// must be split into the pieces people reuse: the email's local part and every word of
/// three or more letters or digits.
fn personal_words(inputs: &[&str]) -> Vec<String> {
    let mut words = Vec::new();
    for input in inputs {
        let lower = input.to_lowercase();
        if let Some((local, _domain)) = lower.split_once('@') {
            words.push(local.to_string());
        }
        words.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_string),
        );
        words.push(lower);
    }
    words
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash(password: String) -> Result<String, AppError> {
    off_runtime(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
    })
    .await
}

/// Whether `password` matches the stored PHC string. A malformed stored hash is an
/// internal error (logged), never a match.
pub async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    off_runtime(move || {
        let parsed = PasswordHash::new(&stored)
            .map_err(|e| anyhow::anyhow!("stored password hash is malformed: {e}"))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
}

/// Runs CPU-heavy work on the blocking pool; any failure (including a panicked task) is
/// an internal error.
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| anyhow::anyhow!("password task failed: {e}"))?
        .map_err(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRONG: &str = "violet tractor harbor 42 quietly";

    fn message(err: AppError) -> String {
        match err {
            AppError::Validation { fields, .. } => {
                assert_eq!(fields[0].field, "password");
                fields[0].message.clone()
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn length_bounds_count_characters_not_bytes() {
        assert!(message(check_policy("short-pw", &[]).unwrap_err()).contains("at least 12"));
        // 12 characters of 2 bytes each passes the length rule.
        let accented = "éçàüöñßøåæœ";
        assert_eq!(accented.chars().count(), 11);
        assert!(message(check_policy(accented, &[]).unwrap_err()).contains("at least 12"));
        let too_long = "x".repeat(MAX_CHARS + 1);
        assert!(message(check_policy(&too_long, &[]).unwrap_err()).contains("at most 128"));
    }

    #[test]
    fn common_and_guessable_passwords_are_refused() {
        for weak in [
            "passwordpassword",
            "123456789012",
            "qwertyuiopasdf",
            "aaaaaaaaaaaaaaaa",
            "iloveyou12345",
        ] {
            assert!(check_policy(weak, &[]).is_err(), "{weak} accepted");
        }
    }

    #[test]
    fn personal_words_count_against_the_password() {
        assert!(
            check_policy(
                "ada.lovelace1815",
                &["ada.lovelace@example.com", "Ada Lovelace"]
            )
            .is_err()
        );
    }

    #[test]
    fn strong_passphrases_pass_up_to_the_maximum() {
        assert!(check_policy(STRONG, &["someone@example.com"]).is_ok());
        let long = format!("{STRONG} {}", "z".repeat(MAX_CHARS - STRONG.len() - 1));
        assert_eq!(long.chars().count(), MAX_CHARS);
        assert!(check_policy(&long, &[]).is_ok());
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_crate_defaults_and_verify() {
        let stored = hash(STRONG.to_string()).await.unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify(STRONG.to_string(), stored.clone()).await.unwrap());
        assert!(
            !verify("wrong password entirely".into(), stored.clone())
                .await
                .unwrap()
        );
        // Salted: the same password hashes differently each time.
        assert_ne!(stored, hash(STRONG.to_string()).await.unwrap());
    }

    #[tokio::test]
    async fn malformed_stored_hash_is_an_internal_error() {
        let err = verify(STRONG.into(), "not-a-phc-string".into())
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Internal(_)));
    }
}
