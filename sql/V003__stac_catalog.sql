-- STAC catalog: collections and items, served by the STAC API under /api/stac.
--
-- Design for millions of items: one plain table of items with the searchable fields pulled out of
-- the JSON document into typed columns (geometry, datetime range, collection), each indexed for
-- the filters the API offers: a GiST index on geometry for bbox/intersects, btree indexes on the
-- datetime range ends, and a btree on the default sort key so paging is keyset ("after this key"),
-- never OFFSET. A search with bbox + datetime + limit 100 is then an index scan bounded by the page
-- size. The full document stays in jsonb for output, fields filtering and sorting on properties.
-- pgstac partitions items by collection and time; a single table keeps this simpler until one
-- table's indexes stop fitting in memory, and the columns above are the ones partitioning would use.

-- A STAC Collection; document is the full Collection JSON without its links (added when served).
create table stac_collection (
    collection_id text primary key check (collection_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
    document      jsonb not null,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

-- A STAC Item. datetime is null when the item has a start/end range instead (STAC allows either);
-- search_start/search_end are the range every item has, used by datetime filters and sorting.
create table stac_item (
    collection_id  text not null references stac_collection (collection_id) on delete cascade,
    item_id        text not null check (item_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$'),
    geometry       geometry(Geometry, 4326) not null,
    datetime       timestamptz,
    start_datetime timestamptz,
    end_datetime   timestamptz,
    search_start   timestamptz generated always as (coalesce(datetime, start_datetime)) stored,
    search_end     timestamptz generated always as (coalesce(datetime, end_datetime)) stored,
    document       jsonb not null,
    updated_at     timestamptz not null default now(),
    primary key (collection_id, item_id),
    check (datetime is not null or (start_datetime is not null and end_datetime is not null))
);
create index stac_item_geometry_idx on stac_item using gist (geometry);
create index stac_item_search_start_idx on stac_item (search_start);
create index stac_item_search_end_idx on stac_item (search_end);
-- Default order of searches and item pages: newest first, then collection and id as tie-breakers.
create index stac_item_default_order_idx on stac_item (search_start desc, collection_id, item_id);
create index stac_item_id_idx on stac_item (item_id);
