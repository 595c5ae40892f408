-- Orchestration state: jobs -> stages -> tasks.
--
-- The engine keeps per-completion work constant in the number of tasks: a task's first terminal
-- transition and the decrement of its stage's open-task counter (job_stage.open_tasks) are one
-- statement, and the finisher that takes the counter to zero inserts the unique stage_transition
-- row. No completion ever counts the rows of a stage.

-- A job: one run of a workflow with canonical parameters. job_id is the SHA-256 of
-- job_type + "\n" + canonical JSON of the parameters, so a duplicate submit finds the same row.
-- generation grows with each resubmit; retry_round grows with each retry of failed tasks.
create table job (
    job_id        text primary key check (job_id ~ '^[0-9a-f]{64}$'),
    job_type      text not null,
    status        text not null check (status in
                  ('queued', 'processing', 'completed', 'completed_with_errors', 'failed', 'cancelled')),
    stage         int not null default 1,
    total_stages  int not null check (total_stages >= 1),
    generation    int not null default 1,
    retry_round   int not null default 0,
    parameters    jsonb not null,
    result_data   jsonb,
    error_details jsonb,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    started_at    timestamptz,
    ended_at      timestamptz
);
create index job_status_created_idx on job (status, created_at desc);
create index job_type_created_idx on job (job_type, created_at desc);

-- One row per opened stage. task_count is written before any of the stage's messages is sent;
-- open_tasks counts tasks not yet terminal. The row is the "seal" that allows dispatch.
create table job_stage (
    job_id          text not null references job (job_id) on delete cascade,
    generation      int not null,
    stage           int not null,
    task_count      int not null check (task_count >= 0),
    open_tasks      int not null,
    completed_tasks int not null default 0,
    failed_tasks    int not null default 0,
    result          jsonb,
    created_at      timestamptz not null default now(),
    ended_at        timestamptz,
    primary key (job_id, generation, stage)
);

-- Exactly-once stage completion: only the finisher whose insert succeeds advances the job.
create table stage_transition (
    job_id      text not null references job (job_id) on delete cascade,
    generation  int not null,
    stage       int not null,
    retry_round int not null default 0,
    outcome     text not null,
    created_at  timestamptz not null default now(),
    primary key (job_id, generation, stage, retry_round)
);

-- A task: task_id = {job_id[0:16]}-s{stage}-{key}; key is the semantic key that links a task to
-- its predecessor in the previous stage (lineage). attempt fences stale workers: a completion is
-- accepted only for the attempt that currently holds the task.
create table task (
    task_id       text primary key,
    job_id        text not null references job (job_id) on delete cascade,
    generation    int not null,
    stage         int not null,
    task_key      text not null check (task_key ~ '^[a-z0-9_]{1,64}$'),
    task_type     text not null,
    status        text not null check (status in
                  ('pending', 'queued', 'processing', 'completed', 'failed', 'cancelled')),
    attempt       int not null default 0,
    parameters    jsonb not null default '{}',
    result        jsonb,
    error_details jsonb,
    created_at    timestamptz not null default now(),
    queued_at     timestamptz,
    started_at    timestamptz,
    heartbeat_at  timestamptz,
    ended_at      timestamptz
);
-- Serves dispatch (pending tasks of a job), the in-flight window (queued + processing of a job)
-- and the status endpoint's per-stage counts, all as index scans.
create index task_job_status_stage_idx on task (job_id, status, stage);
create index task_job_stage_key_idx on task (job_id, stage, task_key);
-- The reconciler looks for queued or processing tasks whose message or worker went away.
create index task_open_idx on task (status, queued_at) where status in ('queued', 'processing');
