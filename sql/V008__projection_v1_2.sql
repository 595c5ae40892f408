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

-- Odd documents (not written by geoetl) are upgraded as far as they can be, never fail the upgrade:
-- only an array stac_extensions is rewritten, and proj:bbox is derived only from an all-numeric transform
-- and shape. One statement, so the upgrade is all or nothing; it rewrites every item (about 20 s per
-- 200,000 items here), which is why the README asks to stop workers before upgrading a large catalog.

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
                   case when i.document -> 'properties' ->> 'proj:code' ~* '^EPSG:[0-9]{1,9}$'
                        then to_jsonb(substr(i.document -> 'properties' ->> 'proj:code', 6)::int)
                        else 'null'::jsonb end)
            || coalesce((
                select jsonb_build_object('proj:bbox', jsonb_build_array(min(x), min(y), max(x), max(y)))
                from (select (t ->> 0)::float8 * c.col + (t ->> 1)::float8 * c.row + (t ->> 2)::float8 as x,
                             (t ->> 3)::float8 * c.col + (t ->> 4)::float8 * c.row + (t ->> 5)::float8 as y
                      from (select i.document -> 'properties' -> 'proj:transform' as t,
                                   i.document -> 'properties' -> 'proj:shape' as shape) g,
                           lateral (values (0::float8, 0::float8),
                                           ((g.shape ->> 1)::float8, 0::float8),
                                           (0::float8, (g.shape ->> 0)::float8),
                                           ((g.shape ->> 1)::float8, (g.shape ->> 0)::float8)) as c(col, row)
                      where not (i.document -> 'properties' ? 'proj:bbox')
                        and jsonb_typeof(g.t) = 'array' and jsonb_array_length(g.t) in (6, 9)
                        and jsonb_typeof(g.shape) = 'array' and jsonb_array_length(g.shape) = 2
                        and (select bool_and(jsonb_typeof(v) = 'number') from jsonb_array_elements(g.t) v)
                        and (select bool_and(jsonb_typeof(v) = 'number') from jsonb_array_elements(g.shape) v)
                     ) corners
                having count(*) = 4), '{}'::jsonb))
where jsonb_typeof(i.document -> 'stac_extensions') = 'array'
  and i.document -> 'stac_extensions' ? 'https://stac-extensions.github.io/projection/v2.0.0/schema.json';
