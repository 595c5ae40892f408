-- The job list's first page without filters: GET /api/jobs, newest first, is what a console polls.
-- job_status_created_idx and job_type_created_idx serve the filtered pages, but with neither filter
-- the page was a sequential scan of every job plus a sort, growing with the table. On this index the
-- page reads its limit of rows backwards from the newest and stops (before= pages start mid-index).
create index job_created_idx on job (created_at desc);
