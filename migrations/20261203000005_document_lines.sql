-- Extracted line items. One set per document: an extraction replaces the whole set in
-- one transaction, so a job run twice still leaves exactly one. Amounts are exact
-- `numeric` (as printed, never floats); `other_amounts` keeps the other printed columns
-- by header as decimal strings. The box is in points from the page's top-left.
create table document_lines (
    org_id uuid not null,
    document_id uuid not null,
    line_no int not null check (line_no >= 1),
    page int not null check (page >= 1),
    label text not null check (length(label) <= 2000),
    normalized_label text not null,
    amount numeric not null,
    other_amounts jsonb not null default '{}'::jsonb,
    kind text not null
        check (kind in ('detail', 'subtotal', 'total', 'unit', 'transaction', 'balance')),
    is_total boolean not null,
    section text not null default '',
    level int not null default 0 check (level >= 0),
    bbox real[] check (bbox is null or cardinality(bbox) = 4),
    source_row int,
    sheet text,
    cell text,
    primary key (org_id, document_id, line_no),
    foreign key (org_id, document_id) references documents (org_id, id) on delete cascade
);
alter table document_lines enable row level security;
alter table document_lines force row level security;
create policy document_lines_tenant on document_lines
    using (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid))
    with check (org_id = (select nullif(current_setting('app.org_id', true), '')::uuid));
grant select, insert, delete on document_lines to ledgerlens_app;

-- Which extractor produced the current lines, and when.
alter table documents
    add column extractor_version text,
    add column extracted_at timestamptz,
    add column line_count int check (line_count is null or line_count >= 0);
