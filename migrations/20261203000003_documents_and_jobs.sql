-- Documents (uploaded files) and the durable job queue their extraction runs on.

-- Durable background work. Claimed with FOR UPDATE SKIP LOCKED under a lease; the
-- worker (jobs issue) adds its own policy to claim across tenants. Enqueued in the same
-- transaction as the row that needs the work.
create table jobs (
    org_id uuid not null references organizations (id) on delete cascade,
    id uuid not null default gen_random_uuid(),
    kind text not null check (kind ~ '^[a-z_]+$'),
    payload jsonb not null default '{}'::jsonb,
    state text not null default 'queued'
        check (state in ('queued', 'running', 'done', 'failed', 'dead')),
    attempts int not null default 0 check (attempts >= 0),
    max_attempts int not null default 5 check (max_attempts >= 1),
    run_at timestamptz not null default now(),
    locked_by text,
    lease_until timestamptz,
    progress smallint not null default 0 check (progress between 0 and 100),
    step text,
    last_error text,
    errors jsonb not null default '[]'::jsonb,
    unique_key text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (org_id, id)
);
-- One live job per unique key (e.g. one extraction per document at a time).
create unique index jobs_unique_live_idx on jobs (org_id, unique_key)
    where unique_key is not null and state in ('queued', 'running');
create index jobs_claim_idx on jobs (run_at) where state = 'queued';
alter table jobs enable row level security;
alter table jobs force row level security;
create policy jobs_tenant on jobs
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
grant select, insert, update on jobs to ledgerlens_app;

-- Documents. The same bytes for the same (property, period, doc_type) are one document:
-- the unique constraint makes a concurrent second upload lose cleanly.
create table documents (
    org_id uuid not null references organizations (id) on delete cascade,
    id uuid not null default gen_random_uuid(),
    property_id uuid not null,
    period date not null check (period = date_trunc('month', period)::date),
    doc_type text not null check (doc_type in
        ('balance_sheet', 'income_statement', 'cash_flow', 'rent_roll', 'gl_export')),
    file_kind text not null check (file_kind in ('pdf', 'csv', 'xlsx')),
    original_filename text not null check (length(original_filename) between 1 and 255),
    content_type text not null,
    size_bytes bigint not null check (size_bytes > 0),
    sha256 bytea not null check (length(sha256) = 32),
    pages int check (pages is null or pages between 1 and 500),
    object_key text not null,
    status text not null default 'queued'
        check (status in ('uploaded', 'queued', 'extracting', 'extracted', 'failed')),
    error text,
    uploaded_by uuid references users (id) on delete set null,
    job_id uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (org_id, id),
    foreign key (org_id, property_id) references properties (org_id, id),
    constraint documents_duplicate unique (org_id, property_id, period, doc_type, sha256)
);
create index documents_list_idx on documents (org_id, created_at desc, id desc);
alter table documents enable row level security;
alter table documents force row level security;
create policy documents_tenant on documents
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
grant select, insert, update, delete on documents to ledgerlens_app;
