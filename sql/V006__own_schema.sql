-- geoetl's own state moves out of public into geoetl's schema (GEOETL_DB_SCHEMA, default geoetl).
--
-- Until V005 every table went to the first schema of the role's default search_path ("$user", public):
-- public, unless a schema happened to be named like the role. public is shared with PostGIS and often
-- with other applications, and where geoetl's tables landed depended on the role's name. geoetl now
-- sets search_path to "<schema>, public" on every connection and Flyway migrates with <schema> first,
-- so on a fresh database V001-V005 have already created their tables in <schema> and this migration
-- changes nothing. On a database migrated by an earlier version it moves every table still in public;
-- ALTER TABLE ... SET SCHEMA takes indexes, constraints and owned sequences along. Foreign keys, column
-- types (PostGIS's geometry stays in public) and rows are untouched.
--
-- Flyway's own history table cannot move in a migration Flyway records in it: geoetl moves it from
-- public in code before migrating (io.geoetl.database.SchemaPreparation), which is why this migration
-- runs at all on an old database.
--
-- A table moves only when public has it and <schema> has not: a fresh install next to another
-- application's table of the same name in public leaves that table alone.
do $$
declare
    own_schema constant text := '${flyway:defaultSchema}';
    geoetl_table text;
begin
    foreach geoetl_table in array array['job', 'job_stage', 'stage_transition', 'task', 'task_history',
            'stac_collection', 'stac_item', 'ingest_blob', 'ingest_event'] loop
        if to_regclass(format('public.%I', geoetl_table)) is not null
                and to_regclass(format('%I.%I', own_schema, geoetl_table)) is null then
            execute format('alter table public.%I set schema %I', geoetl_table, own_schema);
            raise notice 'moved public.% to %.%', geoetl_table, own_schema, geoetl_table;
        end if;
    end loop;
end
$$;
