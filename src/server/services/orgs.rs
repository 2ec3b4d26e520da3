//! Organizations: creating one (at sign-up or later), the viewer's list of orgs for the
//! switcher, and the header of an org's pages.

use serde_json::json;

use super::audit::user_event;
use super::input;
use crate::server::auth::{CurrentUser, OrgCtx, RequestMeta, tokens};
use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::account::{Me, OrgMembership};
use crate::shared::org::OrgView;
use crate::shared::{Role, UserId};

/// Longest slug the schema accepts.
const SLUG_MAX: usize = 40;

/// A URL slug from an org name: lower-case ASCII letters and digits joined by single
/// hyphens, at most 40 characters; `org` when nothing usable remains.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(SLUG_MAX);
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() { "org".into() } else { slug }
}

/// `base` with a suffix, still within the length limit.
fn suffixed(base: &str, suffix: &str) -> String {
    let room = SLUG_MAX - suffix.len() - 1;
    let stem: String = base.chars().take(room).collect();
    format!("{}-{suffix}", stem.trim_end_matches('-'))
}

/// Creates an org named `name` with `user` as owner and default settings, inside `tx`
/// (which it leaves scoped to the new org). Returns the slug.
pub async fn create_in(
    tx: &mut db::Tx,
    user: UserId,
    email: &str,
    name: &str,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    let base = slugify(name);
    let mut candidates = vec![base.clone()];
    candidates.extend((2..10).map(|n| suffixed(&base, &n.to_string())));
    let taken = db::orgs::taken_slugs(tx, &candidates).await?;
    let mut chosen = candidates.into_iter().find(|c| !taken.contains(c));
    let org = loop {
        let slug = match chosen.take() {
            Some(s) => s,
            None => suffixed(&base, &tokens::mint()?.token[..6]),
        };
        // A concurrent sign-up may take the slug between the check and the insert;
        // then try a random suffix.
        if let Some(id) = db::orgs::insert(tx, &slug, name).await? {
            break (id, slug);
        }
    };
    let (org_id, slug) = org;
    db::scope_org(tx, org_id).await?;
    db::members::insert(tx, org_id, user, Role::Owner.as_str()).await?;
    db::orgs::insert_settings(tx, org_id).await?;
    let event = db::audit::NewEvent {
        org: Some(org_id),
        ..user_event((user, email), meta, "org.created")
    }
    .target("org", org_id)
    .details(json!({ "name": name, "slug": slug, "plan": "free" }));
    db::audit::insert(tx, &event).await?;
    Ok(slug)
}

/// Creates another org for a logged-in user, who becomes its owner. Returns the slug.
#[tracing::instrument(skip_all)]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    name: &str,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    let name = input::name("name", name, "a name for the organization")?;
    let mut tx = state.db.begin().await?;
    let slug = create_in(&mut tx, user.id, &user.email, &name, meta).await?;
    tx.commit().await?;
    Ok(slug)
}

/// The slug of the user's first org by name, if any.
pub async fn first_slug(state: &AppState, user: UserId) -> Result<Option<String>, AppError> {
    let mut tx = db::begin_user(&state.db, user).await?;
    let orgs = db::orgs::memberships_of(&mut tx, user).await?;
    tx.commit().await?;
    Ok(orgs.into_iter().next().map(|o| o.slug))
}

/// The signed-in user and their orgs (for the header and the org switcher).
pub async fn me(state: &AppState, user: &CurrentUser) -> Result<Me, AppError> {
    let mut tx = db::begin_user(&state.db, user.id).await?;
    let orgs = db::orgs::memberships_of(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(Me {
        id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        email_verified: user.email_verified,
        staff_role: user.staff_role,
        orgs: orgs
            .into_iter()
            .filter_map(|o| {
                Some(OrgMembership {
                    id: o.id,
                    slug: o.slug,
                    name: o.name,
                    role: Role::parse(&o.role)?,
                })
            })
            .collect(),
    })
}

/// The header of an org's pages.
pub fn view(ctx: &OrgCtx) -> OrgView {
    OrgView {
        id: ctx.org.id,
        slug: ctx.org.slug.clone(),
        name: ctx.org.name.clone(),
        role: ctx.role,
        plan: ctx.org.plan.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe_and_bounded() {
        assert_eq!(slugify("Acme Property Group"), "acme-property-group");
        assert_eq!(slugify("  Ärger & Söhne!! "), "rger-s-hne");
        assert_eq!(slugify("!!!"), "org");
        assert_eq!(slugify(&"a".repeat(60)).len(), 40);
        assert_eq!(slugify("a ------ b"), "a-b");
        let s = suffixed(&"x".repeat(40), "9");
        assert_eq!(s.len(), 40);
        assert!(s.ends_with("-9"));
    }
}
