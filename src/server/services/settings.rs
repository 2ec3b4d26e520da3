//! Tenant settings (auto-post switch and threshold, monthly budget): admins read and
//! change them; every change is audited with before and after. Values are exact
//! decimals from the text the user typed, never floats.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::json;

use super::audit::org_event;
use crate::server::auth::OrgCtx;
use crate::server::db::{self, orgs::Settings};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::Role;
use crate::shared::org::{SettingsView, UsageView};

/// Bounds of the auto-post threshold, inclusive.
pub const THRESHOLD_MIN: Decimal = Decimal::from_parts(80, 0, 0, false, 2);
pub const THRESHOLD_MAX: Decimal = Decimal::from_parts(98, 0, 0, false, 2);

fn view(s: &Settings, plan: &str) -> SettingsView {
    SettingsView {
        autopost_enabled: s.autopost_enabled,
        autopost_threshold: s.autopost_threshold.round_dp(2).to_string(),
        monthly_budget: s
            .monthly_budget
            .map(|b| format!("{:.2}", b))
            .unwrap_or_default(),
        plan: plan.to_string(),
    }
}

/// A plain decimal as people type it (`123`, `0.90`): digits with at most one point.
/// No signs, exponents or words, which `Decimal::from_str` would otherwise accept.
fn plain_decimal(raw: &str) -> Option<Decimal> {
    let mut parts = raw.split('.');
    let int = parts.next()?;
    let frac = parts.next();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    Decimal::from_str(raw).ok()
}

/// Parses the threshold: a decimal from 0.80 to 0.98 with at most three places.
pub fn parse_threshold(raw: &str) -> Result<Decimal, AppError> {
    let msg = "Enter a number from 0.80 to 0.98, e.g. 0.90.";
    let d = plain_decimal(raw.trim()).ok_or_else(|| AppError::field("autopost_threshold", msg))?;
    if d < THRESHOLD_MIN || d > THRESHOLD_MAX || d.scale() > 3 {
        return Err(AppError::field("autopost_threshold", msg));
    }
    Ok(d)
}

/// Parses the monthly budget: empty for none, else an amount ≥ 0 with at most two
/// decimal places (thousands separators allowed).
pub fn parse_budget(raw: &str) -> Result<Option<Decimal>, AppError> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    let cleaned = cleaned.trim_start_matches('$');
    if cleaned.is_empty() {
        return Ok(None);
    }
    let msg = "Enter an amount like 2500 or 2500.00, or leave it empty for no budget.";
    let d = plain_decimal(cleaned).ok_or_else(|| AppError::field("monthly_budget", msg))?;
    if d.is_sign_negative() || d.scale() > 2 || d >= Decimal::from(1_000_000_000_000i64) {
        return Err(AppError::field("monthly_budget", msg));
    }
    Ok(Some(d))
}

/// The settings page, for admins and owners.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn get(state: &AppState, ctx: &OrgCtx) -> Result<SettingsView, AppError> {
    ctx.require(Role::Admin)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let s = db::orgs::settings(&mut tx, ctx.org.id, false).await?;
    tx.commit().await?;
    Ok(view(&s, &ctx.org.plan))
}

/// Validates and saves the settings; a bad value changes nothing.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn update(
    state: &AppState,
    ctx: &OrgCtx,
    autopost_enabled: bool,
    threshold: &str,
    budget: &str,
) -> Result<SettingsView, AppError> {
    ctx.require(Role::Admin)?;
    let new = Settings {
        autopost_enabled,
        autopost_threshold: parse_threshold(threshold)?,
        monthly_budget: parse_budget(budget)?,
    };
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let before = db::orgs::settings(&mut tx, ctx.org.id, true).await?;
    if before != new {
        db::orgs::update_settings(&mut tx, ctx.org.id, &new).await?;
        let describe = |s: &Settings| {
            json!({
                "autopost_enabled": s.autopost_enabled,
                "autopost_threshold": s.autopost_threshold.to_string(),
                "monthly_budget": s.monthly_budget.map(|b| b.to_string()),
            })
        };
        db::audit::insert(
            &mut tx,
            &org_event(ctx, "settings.updated")
                .target("org", ctx.org.id)
                .details(json!({ "before": describe(&before), "after": describe(&new) })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(view(&new, &ctx.org.plan))
}

/// The plan and its usage (admins; the settings page's quota bars).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn usage(state: &AppState, ctx: &OrgCtx) -> Result<UsageView, AppError> {
    ctx.require(Role::Admin)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let u = db::orgs::usage(&mut tx, ctx.org.id).await?;
    tx.commit().await?;
    Ok(UsageView {
        plan: u.plan,
        documents_used: u.documents_used,
        documents_limit: u.documents_limit,
        storage_used_bytes: u.storage_used_bytes,
        storage_limit_bytes: u.storage_limit_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_bounds_are_inclusive_and_exact() {
        assert_eq!(parse_threshold("0.80").unwrap().to_string(), "0.80");
        assert_eq!(parse_threshold(" 0.98 ").unwrap().to_string(), "0.98");
        assert_eq!(parse_threshold("0.9").unwrap().to_string(), "0.9");
        for bad in [
            "0.79",
            "0.981",
            "0.99",
            "1",
            "-0.9",
            "abc",
            "",
            "0.8000001",
            "NaN",
        ] {
            assert!(parse_threshold(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn budgets_are_exact_and_non_negative() {
        assert_eq!(parse_budget("").unwrap(), None);
        assert_eq!(
            parse_budget("2,500.50").unwrap().unwrap().to_string(),
            "2500.50"
        );
        assert_eq!(parse_budget("$100").unwrap().unwrap().to_string(), "100");
        for bad in ["-1", "1.234", "ten", "1e3"] {
            assert!(parse_budget(bad).is_err(), "{bad:?} accepted");
        }
    }
}
