"""Stage 1 of process_vector: inspect a vector file and write the PostGIS-ready intermediate.

Usage: vector_prepare.py SOURCE OUTPUT.gpkg OPTIONS_JSON
OPTIONS_JSON: {"drivers": [...], "layer": name|null, "open_options": [...], "source_crs": str|null}

Only the allowed drivers may open SOURCE. The intermediate is a GeoPackage with one layer "data":
2D, one geometry type (promoted to Multi when single and multi parts are mixed), invalid geometries
repaired (-makevalid), EPSG:4326, fid 1..n, geometry column "geom". Features whose geometry is
missing or could not be repaired are removed and counted. Prints a JSON report; exit 2 with a
message on stderr for bad input.
"""
import json
import sys

from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

FAMILIES = {
    ogr.wkbPoint: "point", ogr.wkbMultiPoint: "point",
    ogr.wkbLineString: "line", ogr.wkbMultiLineString: "line",
    ogr.wkbPolygon: "polygon", ogr.wkbMultiPolygon: "polygon",
}
SINGLE_TO_MULTI = {"point": "MULTIPOINT", "line": "MULTILINESTRING", "polygon": "MULTIPOLYGON"}
SINGLE = {"point": "POINT", "line": "LINESTRING", "polygon": "POLYGON"}


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def main():
    source, output, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    try:
        dataset = gdal.OpenEx(source, gdal.OF_VECTOR | gdal.OF_READONLY,
                              allowed_drivers=options["drivers"], open_options=options.get("open_options") or [])
    except RuntimeError as error:
        fail(f"cannot open as a vector file ({', '.join(options['drivers'])}): {error}")
    if dataset is None or dataset.GetLayerCount() == 0:
        fail("the file holds no vector layer")
    names = [dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())]
    wanted = options.get("layer")
    if wanted and wanted not in names:
        fail(f"layer '{wanted}' not found; layers: {', '.join(names)}")
    layer = dataset.GetLayerByName(wanted) if wanted else dataset.GetLayerByIndex(0)
    if layer.GetGeomType() == ogr.wkbNone:
        fail("the layer has no geometry column (for CSV: no lat/lon or WKT columns were found; "
             "name them with lat_column/lon_column or wkt_column)")
    source_srs = layer.GetSpatialRef()
    if source_srs is None and not options.get("source_crs"):
        fail("the layer has no coordinate reference system; submit again with source_crs")

    families, multi, has_z, has_m, invalid, empty, total = set(), False, False, False, 0, 0, 0
    for feature in layer:
        total += 1
        geometry = feature.GetGeometryRef()
        if geometry is None or geometry.IsEmpty():
            empty += 1
            continue
        flat = ogr.GT_Flatten(geometry.GetGeometryType())
        family = FAMILIES.get(flat, "other")
        families.add(family)
        multi = multi or flat in (ogr.wkbMultiPoint, ogr.wkbMultiLineString, ogr.wkbMultiPolygon)
        has_z = has_z or bool(geometry.Is3D())
        has_m = has_m or bool(geometry.IsMeasured())
        if not geometry.IsValid():
            invalid += 1
    layer.ResetReading()
    if "other" in families:
        fail("the layer holds geometry collections or curves, which geoetl cannot load as one geometry type")
    if len(families) > 1:
        fail("the layer mixes " + " and ".join(sorted(f + "s" for f in families))
             + "; a table holds one geometry type: split the file by geometry type first")
    family = families.pop() if families else "point"
    # Repairs can turn a polygon into a multipolygon, so promote polygons whenever any was invalid.
    geometry_type = SINGLE_TO_MULTI[family] if multi or invalid else SINGLE[family]

    args = ["-f", "GPKG", "-nln", "data", "-t_srs", "EPSG:4326", "-dim", "XY", "-makevalid",
            "-nlt", geometry_type, "-lco", "FID=fid", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=NO"]
    if options.get("source_crs"):
        args += ["-s_srs", options["source_crs"]]
    layer_name = layer.GetName()
    gdal.VectorTranslate(output, dataset, options=args + [layer_name])

    result = ogr.Open(output, 1)
    data = result.GetLayerByName("data")
    unusable = result.ExecuteSQL("SELECT count(*) FROM data WHERE geom IS NULL OR ST_IsEmpty(geom)")
    removed = unusable.GetNextFeature().GetField(0)
    result.ReleaseResultSet(unusable)
    if removed:
        result.ExecuteSQL("DELETE FROM data WHERE geom IS NULL OR ST_IsEmpty(geom)")
    max_fid = result.ExecuteSQL("SELECT coalesce(max(fid), 0), count(*) FROM data")
    row = max_fid.GetNextFeature()
    fid_max, features = row.GetField(0), row.GetField(1)
    result.ReleaseResultSet(max_fid)
    extent = data.GetExtent() if features else None
    definition = data.GetLayerDefn()
    fields = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    authority = None
    if source_srs is not None:
        source_srs.AutoIdentifyEPSG()
        if source_srs.GetAuthorityName(None):
            authority = f"{source_srs.GetAuthorityName(None)}:{source_srs.GetAuthorityCode(None)}"
    print(json.dumps({
        "layer": layer_name,
        "layers": names,
        "source_features": total,
        "features": features,
        "fid_max": fid_max,
        "geometry_type": geometry_type,
        "dropped_z": has_z,
        "dropped_m": has_m,
        "invalid_geometries": invalid,
        "missing_geometries": empty,
        "unrepairable_geometries": max(0, removed - empty),
        "repaired_geometries": max(0, invalid - max(0, removed - empty)),
        "source_crs": authority or options.get("source_crs"),
        "fields": fields,
        "bbox_wgs84": [extent[0], extent[2], extent[1], extent[3]] if extent else None,
    }))


main()
