-- The registry of outputs: every table, STAC item and output blob geoetl made, with the source it
-- came from. It is what lets geoetl change only what it made, and keep outputs of different sources
-- apart:
--  * replace, append and unpublish act only on registered tables; a table somebody else created in a
--    data schema is never dropped, replaced or appended to;
--  * a target (table or item) belongs to one source (container + blob): another source mapping to the
--    same name fails with target_owned_by_other_source unless the job says overwrite: true;
--  * writes of the same source are ordered by the version they carry (the blob's last-modified time):
--    an older version that finishes late never replaces a newer one;
--  * unpublish deletes only the blobs geoetl wrote for the item, and none another item still uses.

-- One row per output target. target_name is "schema.table" for a table and "collection/item" for an
-- item (for a tiled raster: the item its tiles, in the collection "{collection}-{item}", were made of). The source columns are null for
-- outputs made before sources were recorded (backfilled below): the next job that writes such a
-- target becomes its owner.
create table output_target (
    target_kind      text not null check (target_kind in ('table', 'item')),
    target_name      text not null,
    source_container text,
    source_blob      text,
    source_etag      text,
    source_modified  timestamptz,
    job_id           text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (target_kind, target_name)
);
create index output_target_source_idx on output_target (source_container, source_blob);

-- Blobs geoetl wrote into its output container, each with the target it belongs to. A blob that is
-- not here was not written by geoetl (or not for that target) and is never deleted by it.
create table output_blob (
    container   text not null,
    name        text not null,
    target_kind text not null,
    target_name text not null,
    job_id      text,
    created_at  timestamptz not null default now(),
    primary key (container, name),
    foreign key (target_kind, target_name) references output_target (target_kind, target_name)
        on delete cascade
);
create index output_blob_target_idx on output_blob (target_kind, target_name);

-- Backfill for existing installations, from the catalog and the jobs that made it.

-- Items: every item in the catalog was made by geoetl. Rasters say their source in geoetl:source
-- ("container/blob"); other items' sources are unknown here. The tiles of a tiled raster (items
-- "{item}-tile_x{c}_y{r}" in collection "{collection}-{item}") belong to their raster's item
-- "{collection}/{item}", as new ones do.
create temporary table backfill_item on commit drop as
select collection_id, item_id, document, updated_at, source,
       case when tile then left(collection_id, length(collection_id) - length(parent) - 1) || '/' || parent
            else collection_id || '/' || item_id end as target_name
from (select collection_id, item_id, document, updated_at,
             document -> 'properties' ->> 'geoetl:source' as source,
             item_id ~ '-tile_x[0-9]+_y[0-9]+$'
                 and right(collection_id, length(regexp_replace(item_id, '-tile_x[0-9]+_y[0-9]+$', '')) + 1)
                     = '-' || regexp_replace(item_id, '-tile_x[0-9]+_y[0-9]+$', '') as tile,
             regexp_replace(item_id, '-tile_x[0-9]+_y[0-9]+$', '') as parent
      from stac_item) items;

insert into output_target (target_kind, target_name, source_container, source_blob, created_at, updated_at)
select distinct on (target_name) 'item', target_name,
       case when source ~ '^[^/]+/.' then split_part(source, '/', 1) end,
       case when source ~ '^[^/]+/.' then substr(source, strpos(source, '/') + 1) end,
       updated_at, updated_at
from backfill_item
order by target_name, updated_at desc
on conflict do nothing;

-- Tables: those named in vector items (geoetl:table) that still exist. The source is the last
-- completed process_vector job that loaded the table, when retention has kept it.
insert into output_target (target_kind, target_name, source_container, source_blob, source_etag, job_id,
                           created_at, updated_at)
select distinct on (tables.name) 'table', tables.name, loads.parameters ->> 'container',
       loads.parameters ->> 'blob_name', loads.parameters ->> 'source_etag', loads.job_id, tables.at, tables.at
from (select document -> 'properties' ->> 'geoetl:table' as name, updated_at as at
      from stac_item
      where document -> 'properties' ->> 'geoetl:table' is not null) tables
left join job loads on loads.job_type = 'process_vector' and loads.status = 'completed'
                   and loads.result_data ->> 'table' = tables.name
where to_regclass(quote_ident(split_part(tables.name, '.', 1)) || '.' || quote_ident(split_part(tables.name, '.', 2)))
      is not null
order by tables.name, loads.ended_at desc nulls last
on conflict do nothing;

-- Blobs: the assets in the output container of items geoetl wrote there (COGs of rasters and their
-- tiles, the load intermediates of tables), and the mosaic.vrt beside a tiled raster's tiles. An href
-- is {account URL}/{container}/{name}, the name percent-encoded; Azurite's account URL has one more
-- path segment than Azure's. A name that does not decode as UTF-8 is kept as it is.
create function pg_temp.url_decode(encoded text) returns text language plpgsql immutable as $$
begin
    return coalesce((select convert_from(string_agg(case when part ~ '^%[0-9A-Fa-f]{2}$'
                                                         then decode(substr(part, 2), 'hex')
                                                         else convert_to(part, 'UTF8') end, ''::bytea order by n),
                                         'UTF8')
                     from regexp_matches(encoded, '%[0-9A-Fa-f]{2}|[^%]+|%', 'g') with ordinality as m(parts, n),
                          lateral (select parts[1] as part) p), '');
exception when others then
    return encoded;
end
$$;

create temporary table backfill_blob on commit drop as
select distinct on (name) name, target_name, updated_at
from (select pg_temp.url_decode(substring(asset.value ->> 'href'
                 from '^https?://[^/]+/(?:[^/?#]+/)??' || '${silver_container}' || '/([^?#]+)$')) as name,
             i.target_name, i.updated_at
      from backfill_item i, jsonb_each(i.document -> 'assets') asset
      where i.document -> 'properties' ? 'geoetl:source' or i.document -> 'properties' ? 'geoetl:table') assets
where name is not null and name <> ''
order by name, updated_at desc;

insert into output_blob (container, name, target_kind, target_name, created_at)
select '${silver_container}', name, 'item', target_name, updated_at
from backfill_blob
on conflict do nothing;

-- Tiles were written as {collection}/{item}/tile_*.tif with {collection}/{item}/mosaic.vrt beside them.
insert into output_blob (container, name, target_kind, target_name, created_at)
select distinct on (folder) '${silver_container}', folder || '/mosaic.vrt', 'item', target_name, updated_at
from (select regexp_replace(name, '/tile_x[0-9]+_y[0-9]+\.tif$', '') as folder, target_name, updated_at
      from backfill_blob
      where name ~ '/tile_x[0-9]+_y[0-9]+\.tif$') tiles
order by folder, updated_at desc
on conflict do nothing;
