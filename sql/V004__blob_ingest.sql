-- Blob-drop auto-ingest: what each watched blob is (one row per container and name) and the history
-- of what happened to it (one row per event). A (container, name, etag) is submitted at most once: the
-- job id is derived from the parameters, which carry the ETag as source_etag.
create table ingest_blob (
    container   text not null,
    name        text not null,
    etag        text not null,
    status      text not null check (status in ('submitted', 'skipped', 'waiting', 'deleted', 'failed')),
    job_id      text,
    job_type    text,
    reason      text,
    size_bytes  bigint,
    updated_at  timestamptz not null default now(),
    primary key (container, name)
);

create table ingest_event (
    event_id    bigserial primary key,
    container   text not null,
    name        text not null,
    etag        text,
    status      text not null,
    job_id      text,
    job_type    text,
    reason      text,
    at          timestamptz not null default now()
);

create index ingest_event_name_idx on ingest_event (container, name, event_id desc);
