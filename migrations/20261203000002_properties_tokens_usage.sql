-- Usage counters, API tokens, property edits.

-- What an organization has used of its plan. Changed only in the transaction that adds
-- or removes a document, under the organization row's lock, so concurrent uploads at
-- the edge of a quota can never pass it together.
alter table organizations
    add column documents_used bigint not null default 0 check (documents_used >= 0),
    add column storage_used_bytes bigint not null default 0 check (storage_used_bytes >= 0);

alter table properties
    add column updated_at timestamptz not null default now();

-- API tokens for integrations. The token is shown once; only its SHA-256 is kept. A
-- token acts in its org with its role, never above its creator's current role.
create table api_tokens (
    org_id uuid not null references organizations (id) on delete cascade,
    id uuid not null default gen_random_uuid(),
    name text not null check (length(btrim(name)) between 1 and 100),
    role text not null check (role in ('admin', 'editor', 'viewer')),
    token_hash bytea not null unique check (length(token_hash) = 32),
    created_by uuid references users (id) on delete set null,
    -- 'cli' tokens are made by an operator (no creator to cap them); a 'ui' token whose
    -- creator is gone stops working.
    created_via text not null default 'ui' check (created_via in ('ui', 'cli')),
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    primary key (org_id, id)
);
alter table api_tokens enable row level security;
alter table api_tokens force row level security;
create policy api_tokens_tenant on api_tokens
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
-- Presenting a token is the permission to read its own row (to learn its org).
create policy api_tokens_by_hash on api_tokens for select
    using (token_hash = (select decode(nullif(current_setting('app.api_token', true), ''), 'hex')));
create index api_tokens_org_idx on api_tokens (org_id, created_at desc);
grant select, insert, update on api_tokens to ledgerlens_app;
