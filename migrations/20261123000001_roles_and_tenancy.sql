-- Roles and the first tenant tables.
--
-- Whoever runs migrations is the owner role: it owns every table. The app role
-- `ledgerlens_app` owns nothing, cannot bypass row-level security, and is what `serve`
-- connects as. Roles are cluster-wide while `#[sqlx::test]` migrates many databases at
-- once, so creating the role tolerates a concurrent twin. Operators normally create it
-- beforehand (scripts/db-setup.sh); then this block does nothing.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'ledgerlens_app') then
        create role ledgerlens_app login nosuperuser nobypassrls nocreatedb nocreaterole noinherit;
    end if;
exception
    when duplicate_object or unique_violation then null;
end
$$;

grant usage on schema public to ledgerlens_app;

-- Organizations are the tenants themselves: a global table (sign-up creates one before
-- any tenant scope exists; staff list them), so it has no org_id and no RLS.
create table organizations (
    id uuid primary key default gen_random_uuid(),
    slug text not null unique
        check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
    name text not null check (length(btrim(name)) between 1 and 200),
    created_at timestamptz not null default now()
);
grant select, insert, update on organizations to ledgerlens_app;

-- The RLS predicate used by every tenant policy. nullif: after a transaction-local
-- set_config the setting reads '' (not NULL) on that pooled connection, and ''::uuid
-- would fail every later unscoped query instead of matching nothing.
-- Wrapped in (select ...) at each use so it is evaluated once per statement.

-- Properties: an org's reporting entities. Primary key and unique constraints start
-- with org_id (ready to distribute by tenant).
create table properties (
    org_id uuid not null references organizations (id) on delete cascade,
    id uuid not null default gen_random_uuid(),
    code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
    name text not null check (length(btrim(name)) between 1 and 200),
    created_at timestamptz not null default now(),
    primary key (org_id, id),
    unique (org_id, code)
);
alter table properties enable row level security;
alter table properties force row level security;
create policy properties_tenant on properties
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
grant select, insert, update, delete on properties to ledgerlens_app;

-- Sessions (tower-sessions-sqlx-store's layout). Created here by the owner: the store's
-- own migrate() would make the app role own a table.
create schema tower_sessions;
create table tower_sessions.session (
    id text primary key not null,
    data bytea not null,
    expiry_date timestamptz not null
);
create index session_expiry_date_idx on tower_sessions.session (expiry_date);
grant usage on schema tower_sessions to ledgerlens_app;
grant select, insert, update, delete on tower_sessions.session to ledgerlens_app;
