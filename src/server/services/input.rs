//! Checks of user-typed text shared by the use cases: each returns the cleaned value or
//! a field error whose message says how to fix it.

use crate::server::error::AppError;

/// An id from a path or a form. A malformed one cannot name anything: the same 404 as
/// a missing one, and it never reaches the database.
pub fn id(raw: &str) -> Result<uuid::Uuid, AppError> {
    raw.trim().parse().map_err(|_| AppError::NotFound)
}

/// A trimmed, lower-cased email address with a plausible shape (one `@`, a dot in the
/// domain, no spaces, at most 254 characters). Deliverability is proven by the
/// verification mail, not guessed here.
pub fn email(field: &str, raw: &str) -> Result<String, AppError> {
    let email = raw.trim().to_lowercase();
    let bad = || AppError::field(field, "Enter an email address like name@example.com.");
    if email.is_empty() {
        return Err(AppError::field(field, "Enter your email address."));
    }
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(bad());
    }
    Ok(email)
}

/// A display name: trimmed, 1–200 characters, no control characters.
pub fn name(field: &str, raw: &str, what: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::field(field, format!("Enter {what}.")));
    }
    if name.chars().count() > 200 {
        return Err(AppError::field(field, "Use at most 200 characters."));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::field(field, "Remove the special characters."));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            email("email", "  Ada@Example.COM ").unwrap(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            "ada@.com",
            "ada@example..com",
        ] {
            assert!(email("email", bad).is_err(), "{bad:?} accepted");
        }
        assert!(email("email", &format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("name", "  Ada  ", "your name").unwrap(), "Ada");
        assert!(name("name", "   ", "your name").is_err());
        assert!(name("name", &"x".repeat(201), "your name").is_err());
        assert!(name("name", "a\u{0}b", "your name").is_err());
    }
}
