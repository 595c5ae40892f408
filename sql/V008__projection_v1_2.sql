-- Items move from the projection extension v2.0.0 to v1.2.0, the form geoetl writes from now on.
--
-- Why: v2.0.0 dropped proj:epsg, and GDAL's STACIT driver (3.6, the one Debian 12 ships) reads only
-- proj:epsg, so it found "No compatible asset" in geoetl's catalog. v1.2.0 carries proj:epsg beside
-- proj:code. Each item gets:
--   * proj:epsg: the number of an "EPSG:n" proj:code, otherwise null (proj:wkt2 or proj:projjson,
--     already stored for such rasters, then says what the CRS is);
--   * proj:bbox, where it is missing and the item has a pixel grid: the grid's bounds in its own CRS,
--     from the four corners of proj:transform (a, b, c, d, e, f) over proj:shape (rows, columns).
-- Items that do not declare projection v2.0.0 are left as they are.

update stac_item i
set document = jsonb_set(
        jsonb_set(i.document, '{stac_extensions}', (
            select jsonb_agg(case when e #>> '{}' = 'https://stac-extensions.github.io/projection/v2.0.0/schema.json'
                                  then to_jsonb('https://stac-extensions.github.io/projection/v1.2.0/schema.json'::text)
                                  else e end order by n)
            from jsonb_array_elements(i.document -> 'stac_extensions') with ordinality as x(e, n))),
        '{properties}',
        coalesce(i.document -> 'properties', '{}'::jsonb)
            || jsonb_build_object('proj:epsg',
                   case when i.document -> 'properties' ->> 'proj:code' ~ '^EPSG:[0-9]{1,9}$'
                        then to_jsonb(substr(i.document -> 'properties' ->> 'proj:code', 6)::int)
                        else 'null'::jsonb end)
            || coalesce(grid.bbox, '{}'::jsonb))
from stac_item s
left join lateral (
    select jsonb_build_object('proj:bbox', jsonb_build_array(min(x), min(y), max(x), max(y))) as bbox
    from (select (t ->> 0)::float8 * c.col + (t ->> 1)::float8 * c.row + (t ->> 2)::float8 as x,
                 (t ->> 3)::float8 * c.col + (t ->> 4)::float8 * c.row + (t ->> 5)::float8 as y
          from (select s.document -> 'properties' -> 'proj:transform' as t,
                       s.document -> 'properties' -> 'proj:shape' as shape) g,
               lateral (values (0::float8, 0::float8),
                               ((g.shape ->> 1)::float8, 0::float8),
                               (0::float8, (g.shape ->> 0)::float8),
                               ((g.shape ->> 1)::float8, (g.shape ->> 0)::float8)) as c(col, row)
          where jsonb_typeof(g.t) = 'array' and jsonb_array_length(g.t) >= 6
            and jsonb_typeof(g.shape) = 'array' and jsonb_array_length(g.shape) = 2
            and not (s.document -> 'properties' ? 'proj:bbox')) corners
    having count(*) = 4) grid on true
where i.collection_id = s.collection_id and i.item_id = s.item_id
  and i.document -> 'stac_extensions' ? 'https://stac-extensions.github.io/projection/v2.0.0/schema.json';
