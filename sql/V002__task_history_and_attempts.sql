-- Attempt history, duplicate deliveries and resubmit history.

-- Each failed attempt of a task appends {attempt, type, message, retryable, at} here, so
-- GET /api/debug/task/{id} shows every attempt's error. Successful attempts write nothing extra:
-- the happy path stays one statement per task.
alter table task add column attempt_errors jsonb not null default '[]';

-- Deliveries of the task's message that found the task finished or held by a live worker and were
-- dropped. Expected after crashes and duplicate sends; a lease that fails to keep a long task's
-- message invisible shows up here too.
alter table task add column duplicate_deliveries int not null default 0;

-- Tasks of earlier generations of a job. POST /api/jobs/{id}/resubmit moves the job's tasks here
-- before it runs again under the same task ids, so the old generation's history is kept.
create table task_history (like task including defaults);
alter table task_history add primary key (task_id, generation);
create index task_history_job_idx on task_history (job_id, generation);
