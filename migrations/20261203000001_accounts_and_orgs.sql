-- Accounts, organizations, memberships, invitations, staff, tenant settings, audit log.
--
-- Global tables (users, plans, user_tokens) have no org_id and no RLS: they exist before
-- any tenant scope (sign-up, log-in). Tenant tables have org_id first in every key and a
-- FORCED policy on app.org_id. A few tables also need reads from outside one tenant;
-- each such read gets its own narrow, SELECT-only policy on its own setting:
--   app.user_id      the logged-in user (set by db::begin_user after the session checks):
--                    their own memberships across orgs (org switcher, authorize step),
--                    their own staff assignments
--   app.invite_token the SHA-256 of an invitation token the visitor presented
--   app.staff_role   'superuser' after the service checked the user's staff_role:
--                    the global audit log

-- Plans: what an organization is allowed. Reference data, global.
create table plans (
    code text primary key check (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    name text not null,
    documents_limit bigint not null check (documents_limit >= 0),
    storage_limit_bytes bigint not null check (storage_limit_bytes >= 0),
    sort_order int not null default 0
);
insert into plans (code, name, documents_limit, storage_limit_bytes, sort_order) values
    ('free', 'Free', 100, 1073741824, 1),
    ('pro', 'Pro', 5000, 53687091200, 2),
    ('enterprise', 'Enterprise', 1000000, 5497558138880, 3);
grant select on plans to ledgerlens_app;

alter table organizations
    add column plan_code text not null default 'free' references plans (code),
    add column subscription_status text not null default 'active'
        check (subscription_status in ('active', 'past_due', 'canceled'));

-- Users. Emails are stored trimmed and lower-cased (one account per address however it
-- is typed). session_epoch: every session carries the epoch it was made in; bumping it
-- (log out everywhere, password change or reset, disabling) ends all of them at once.
create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null unique
        check (email = lower(btrim(email)) and email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 254),
    name text not null check (length(btrim(name)) between 1 and 200),
    password_hash text not null,
    email_verified_at timestamptz,
    staff_role text not null default 'none' check (staff_role in ('none', 'support', 'superuser')),
    disabled_at timestamptz,
    session_epoch int not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
grant select, insert, update on users to ledgerlens_app;

-- Single-use tokens mailed to a user (email verification, password reset). Only the
-- SHA-256 of the token is stored: a database leak does not hand out working links.
create table user_tokens (
    token_hash bytea primary key check (length(token_hash) = 32),
    user_id uuid not null references users (id) on delete cascade,
    purpose text not null check (purpose in ('verify_email', 'reset_password')),
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
);
create index user_tokens_user_idx on user_tokens (user_id, purpose);
grant select, insert, update on user_tokens to ledgerlens_app;

-- Memberships: (org, user, role). An org always keeps one owner; the service enforces
-- it under a row lock (see db::members).
create table memberships (
    org_id uuid not null references organizations (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    role text not null check (role in ('owner', 'admin', 'editor', 'viewer')),
    created_at timestamptz not null default now(),
    primary key (org_id, user_id)
);
create index memberships_user_idx on memberships (user_id);
alter table memberships enable row level security;
alter table memberships force row level security;
create policy memberships_tenant on memberships
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
create policy memberships_own on memberships for select
    using (user_id = (select nullif(current_setting('app.user_id', true), '')::uuid));
grant select, insert, update, delete on memberships to ledgerlens_app;

-- Invitations by email. The link carries a random token; the row keeps its SHA-256.
create table invitations (
    org_id uuid not null references organizations (id) on delete cascade,
    id uuid not null default gen_random_uuid(),
    email text not null check (email = lower(btrim(email)) and email ~ '^[^@\s]+@[^@\s]+$'),
    role text not null check (role in ('admin', 'editor', 'viewer')),
    token_hash bytea not null unique check (length(token_hash) = 32),
    invited_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    accepted_at timestamptz,
    accepted_by uuid references users (id) on delete set null,
    revoked_at timestamptz,
    primary key (org_id, id)
);
-- One pending invitation per address and org: inviting again refreshes it.
create unique index invitations_pending_idx on invitations (org_id, email)
    where accepted_at is null and revoked_at is null;
create index invitations_email_idx on invitations (email) where accepted_at is null and revoked_at is null;
alter table invitations enable row level security;
alter table invitations force row level security;
create policy invitations_tenant on invitations
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
create policy invitations_by_token on invitations for select
    using (token_hash = (select decode(nullif(current_setting('app.invite_token', true), ''), 'hex')));
grant select, insert, update on invitations to ledgerlens_app;

-- Tenant settings: one row per org, made with the org.
create table tenant_settings (
    org_id uuid primary key references organizations (id) on delete cascade,
    autopost_enabled boolean not null default false,
    autopost_threshold numeric(4, 3) not null default 0.900
        check (autopost_threshold between 0.800 and 0.980),
    monthly_budget numeric(14, 2) check (monthly_budget is null or monthly_budget >= 0),
    updated_at timestamptz not null default now()
);
alter table tenant_settings enable row level security;
alter table tenant_settings force row level security;
create policy tenant_settings_tenant on tenant_settings
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
grant select, insert, update on tenant_settings to ledgerlens_app;

-- Support staff see the tenants they are assigned to.
create table staff_assignments (
    org_id uuid not null references organizations (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (org_id, user_id)
);
create index staff_assignments_user_idx on staff_assignments (user_id);
alter table staff_assignments enable row level security;
alter table staff_assignments force row level security;
create policy staff_assignments_tenant on staff_assignments
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
create policy staff_assignments_own on staff_assignments for select
    using (user_id = (select nullif(current_setting('app.user_id', true), '')::uuid));
grant select, insert, delete on staff_assignments to ledgerlens_app;

-- Audit log. org_id is null for events outside any tenant (sign-up of a user, log-in,
-- password changes, staff actions). Append-only for the app role: INSERT and SELECT
-- only, so not even a bug in the app can rewrite history.
create table audit_events (
    id uuid not null default gen_random_uuid(),
    occurred_at timestamptz not null default clock_timestamp(),
    org_id uuid references organizations (id) on delete cascade,
    actor_id uuid references users (id) on delete set null,
    actor_email text,
    action text not null check (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
    target_type text,
    target_id text,
    details jsonb not null default '{}'::jsonb,
    request_id text,
    ip inet,
    primary key (id)
);
create index audit_events_org_time_idx on audit_events (org_id, occurred_at desc, id desc);
create index audit_events_time_idx on audit_events (occurred_at desc, id desc);
alter table audit_events enable row level security;
alter table audit_events force row level security;
create policy audit_events_tenant on audit_events
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
-- Events outside any tenant can be written by anyone (they name no org's data) ...
create policy audit_events_global_insert on audit_events for insert
    with check (org_id is null);
-- ... and read, like every org's events, only by superuser staff.
create policy audit_events_superuser on audit_events for select
    using ((select nullif(current_setting('app.staff_role', true), '')) = 'superuser');
grant select, insert on audit_events to ledgerlens_app;

-- Member count per organization, kept by a trigger in the same transaction as the
-- membership change, so the staff console can list tenants from the global table without
-- any read of another tenant's memberships.
alter table organizations add column member_count int not null default 0 check (member_count >= 0);
create function memberships_count() returns trigger
language plpgsql
as $$
begin
    if tg_op = 'INSERT' then
        update organizations set member_count = member_count + 1 where id = new.org_id;
    elsif tg_op = 'DELETE' then
        update organizations set member_count = member_count - 1 where id = old.org_id;
    end if;
    return null;
end
$$;
create trigger memberships_count after insert or delete on memberships
    for each row execute function memberships_count();
