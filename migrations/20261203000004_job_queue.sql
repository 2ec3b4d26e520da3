-- The worker side of the job queue. Workers claim, heartbeat and finish jobs of every
-- tenant through one policy, opened by the transaction-local `app.worker` setting that
-- only db::tenant::begin_worker sets; producers keep the tenant policy.
alter table jobs
    add column started_at timestamptz,
    add column finished_at timestamptz;

create policy jobs_worker on jobs
    using ((select current_setting('app.worker', true)) = 'on')
    with check ((select current_setting('app.worker', true)) = 'on');

-- Running jobs by lease, for the reaper that requeues jobs of crashed workers.
create index jobs_lease_idx on jobs (lease_until) where state = 'running';
-- `failed` is a failed attempt waiting for its retry at `run_at`: still live, claimable
-- when due. (`dead` is final.)
create index jobs_retry_idx on jobs (run_at) where state = 'failed';
drop index jobs_unique_live_idx;
create unique index jobs_unique_live_idx on jobs (org_id, unique_key)
    where unique_key is not null and state in ('queued', 'running', 'failed');

-- Staff read jobs (the console's dead-job list): superusers every tenant's, support
-- staff their assigned tenants'. Read-only.
create policy jobs_staff_read on jobs for select
    using ((select nullif(current_setting('app.staff_role', true), '')) = 'superuser'
        or org_id in (select a.org_id from staff_assignments a
                       where a.user_id = (select nullif(current_setting('app.user_id', true), '')::uuid)));

-- NOTIFY on commit: `jobs_queued` wakes workers when a job becomes claimable;
-- `jobs_changed` carries a job's new state and progress to live views. Payloads hold ids
-- and numbers only.
create function jobs_notify() returns trigger
language plpgsql as $$
begin
    if new.state = 'queued' and (tg_op = 'INSERT' or old.state is distinct from 'queued') then
        perform pg_notify('jobs_queued', new.kind);
    end if;
    if tg_op = 'INSERT'
        or new.state is distinct from old.state
        or new.progress is distinct from old.progress
        or new.step is distinct from old.step then
        perform pg_notify('jobs_changed', json_build_object(
            'org_id', new.org_id, 'id', new.id, 'state', new.state,
            'progress', new.progress, 'step', new.step)::text);
    end if;
    return new;
end
$$;

create trigger jobs_notify after insert or update on jobs
    for each row execute function jobs_notify();
