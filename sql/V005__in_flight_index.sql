-- Queued and processing tasks of a job: the dispatcher counts them on every completion and the
-- status endpoint on every call. On task_job_status_stage_idx that count also walked the index
-- entries of every earlier version of every task (each status change adds one, until vacuum): 61 ms
-- after a 200,000-task job. This partial index holds only the in-flight versions: 0.1 ms.
create index task_in_flight_idx on task (job_id, stage, status) where status in ('queued', 'processing');

-- Every task row is rewritten three or four times (pending, queued, processing, completed). Vacuum
-- the table after 1,000 + 2% dead rows instead of the default 50 + 20%, so dead index entries never
-- pile up through a large stage.
alter table task set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.05);
