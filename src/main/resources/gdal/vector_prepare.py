"""Stage 1 of process_vector: open a vector file, check it, and let GDAL translate it in one pass.

Usage: vector_prepare.py SOURCE OUTPUT REPORT.json OPTIONS_JSON
OPTIONS_JSON: {"drivers": [...], "layer": name|null, "open_options": [...], "source_crs": str|null,
               "max_feature_bytes": int}

Only the allowed drivers may open SOURCE. OUTPUT is GDAL's PGDump of the layer as "data" with
PG_USE_COPY: EPSG:4326, 2D, curves linearized, promoted to Multi, geometry column "geom", hex EWKB; OUTPUT may be
/proc/self/fd/1 for the caller to consume as it is written. REPORT receives a JSON report of the layer.
Exit 2 with a message on stderr for bad input.
"""
import json
import math
import re
import sys

from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


DIMENSION_SAMPLE = 10000

# GDAL's GeoJSON reader parses a whole feature into memory before converting it, and refuses one whose parsed
# form exceeds OGR_GEOJSON_MAX_OBJ_SIZE (MB; 200 by default). The parsed form is 11 to 12 times the feature's
# WKB (measured with GDAL 3.6: polygons of 0.96 and 1.6 MB as WKB need 11 and 17 MB). At 16 times geoetl's
# limit GDAL reads every feature geoetl accepts, and refuses only features geoetl would refuse anyway.
GEOJSON_PARSE_FACTOR = 16
SETTING = "GEOETL_VECTOR_MAX_FEATURE_BYTES"

# GDAL's messages, kept for the one that explains a failure better than the exception's (the last) message.
gdal_messages = []


def record_message(_class, _number, message):
    gdal_messages.append(message)


def geojson_limit_message(options, feature=None):
    """None, or the clear message when GDAL's GeoJSON reader refused a feature for its size."""
    message = next((m for m in gdal_messages if "OGR_GEOJSON_MAX_OBJ_SIZE" in m), None)
    if message is None:
        return None
    where = re.search(r"line (\d+), character (\d+)", message)
    subject = (f"feature {feature}" if feature is not None
               else f"a feature (at line {where.group(1)}, character {int(where.group(2)):,} of the file)" if where
               else "a feature")
    limit = options["max_feature_bytes"]
    return (f"{subject} is too large for GDAL's GeoJSON reader: parsing a feature may take "
            f"{geojson_limit_mb(limit)} MB, {GEOJSON_PARSE_FACTOR} times the limit of {limit:,} bytes a feature "
            f"({SETTING}); simplify or split it, or raise the limit")


def geojson_limit_mb(max_feature_bytes):
    return max(1, math.ceil(GEOJSON_PARSE_FACTOR * max_feature_bytes / (1 << 20)))


def failing_feature(layer):
    """The number (from 1) of the first feature the layer cannot read: a second pass, on failure only."""
    definition = layer.GetLayerDefn()
    layer.SetIgnoredFields([definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())])
    layer.ResetReading()
    count = 0
    try:
        for _ in layer:
            count += 1
    except RuntimeError:
        return count + 1
    return None


def sample_geometries(layer, limit):
    """Whether any of the first `limit` geometries of the layer has Z, any has M, and any has curves."""
    definition = layer.GetLayerDefn()
    layer.SetIgnoredFields([definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())])
    has_z = has_m = has_curves = False
    for count, feature in enumerate(layer):
        geometry = feature.GetGeometryRef()
        if geometry is not None:
            has_z = has_z or bool(geometry.Is3D())
            has_m = has_m or bool(geometry.IsMeasured())
            has_curves = has_curves or bool(geometry.HasCurveGeometry())
        if count + 1 >= limit or has_z and has_m and has_curves:
            break
    layer.SetIgnoredFields([])
    layer.ResetReading()
    return has_z, has_m, has_curves


def open_layer(source, options, open_options):
    """The dataset, its layer names and the layer to load (the one named in options, else the first)."""
    try:
        dataset = gdal.OpenEx(source, gdal.OF_VECTOR | gdal.OF_READONLY,
                              allowed_drivers=options["drivers"], open_options=open_options)
    except RuntimeError as error:
        fail(geojson_limit_message(options)
             or f"cannot open as a vector file ({', '.join(options['drivers'])}): {error}")
    if dataset is None or dataset.GetLayerCount() == 0:
        fail("the file holds no vector layer")
    names = [dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())]
    wanted = options.get("layer")
    if wanted and wanted not in names:
        fail(f"layer '{wanted}' not found; layers: {', '.join(names)}")
    return dataset, names, dataset.GetLayerByName(wanted) if wanted else dataset.GetLayerByIndex(0)


def main():
    source, output, report, options = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    gdal.SetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", str(geojson_limit_mb(options["max_feature_bytes"])))
    # Errors still raise (UseExceptions); the handler keeps their messages, and stops warnings reaching
    # stderr ahead of this script's own message.
    gdal.PushErrorHandler(record_message)
    open_options = options.get("open_options") or []
    dataset, names, layer = open_layer(source, options, open_options)
    geometry_names = next((option.split("=", 1)[1].split(",") for option in open_options
                           if option.startswith("GEOM_POSSIBLE_NAMES=")), [])
    if layer.GetLayerDefn().GetGeomFieldCount() > 1 and geometry_names:
        # A CSV with several columns among the geometry names gets a geometry per column: keep the first name
        # of the list that matches, and the other columns as text.
        others = [option for option in open_options if not option.startswith("GEOM_POSSIBLE_NAMES=")]
        for name in geometry_names:
            dataset, names, layer = open_layer(source, options, others + [f"GEOM_POSSIBLE_NAMES={name}"])
            if layer.GetLayerDefn().GetGeomFieldCount() == 1:
                break
    if layer.GetLayerDefn().GetGeomFieldCount() > 1:
        fail(f"layer '{layer.GetName()}' has {layer.GetLayerDefn().GetGeomFieldCount()} geometry columns; "
             "a table gets one: for a CSV, name it with wkt_column")
    if layer.GetGeomType() == ogr.wkbNone:
        if dataset.GetDriver().ShortName == "CSV":
            fail("the CSV has no geometry: no lat/lon or WKT columns were found; "
                 "name them with lat_column/lon_column or wkt_column")
        spatial = [name for name in names if dataset.GetLayerByName(name).GetGeomType() != ogr.wkbNone]
        fail(f"layer '{layer.GetName()}' has no geometry column"
             + (f"; layers with geometry: {', '.join(spatial)}" if spatial else "; no layer of the file has one"))
    source_srs = layer.GetSpatialRef()
    if source_srs is None and not options.get("source_crs"):
        fail("the layer has no coordinate reference system; submit again with source_crs")

    declared = layer.GetGeomType()
    layer_name = layer.GetName()
    if layer_name.startswith("-"):
        # GDAL's translator takes the layer name as a command-line argument, where it would read as an option.
        fail(f"layer '{layer_name}' starts with '-', which GDAL would read as an option: rename the layer")
    dropped_z, dropped_m = bool(ogr.GT_HasZ(declared)), bool(ogr.GT_HasM(declared))
    linearized = bool(ogr.GT_IsNonLinear(declared))
    if ogr.GT_Flatten(declared) in (ogr.wkbUnknown, ogr.wkbGeometryCollection):
        # A layer of mixed types declares no dimension, and GDAL writes it 2D without a word: look at the
        # geometries of its first features (a full pass would cost 4 us a feature, 45% of a translation).
        dropped_z, dropped_m, linearized = sample_geometries(layer, DIMENSION_SAMPLE)
    # GDAL writes PostgreSQL COPY text: 2D, every geometry promoted to Multi, EPSG:4326. Geometry checks,
    # chunking and repairs happen downstream (CopyIntermediate, PostGIS) instead of feature by feature here.
    gdal.SetConfigOption("PG_USE_COPY", "YES")
    # Curves (CurvePolygon, CompoundCurve, MultiSurface: GeoPackages from desktop GIS hold them) become
    # linear geometries of the same family, so that the table holds one plain type.
    args = ["-f", "PGDump", "-nln", "data", "-t_srs", "EPSG:4326", "-dim", "XY", "-nlt", "CONVERT_TO_LINEAR",
            "-nlt", "PROMOTE_TO_MULTI",
            "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=NONE", "-lco", "SRID=4326",
            "-lco", "CREATE_SCHEMA=OFF", "-lco", "DROP_TABLE=OFF", "-lco", "FID=ogc_fid",
            # Field names as in the source: geoetl makes them safe itself and reports every renaming.
            "-lco", "LAUNDER=NO",
            # Column types without declared widths: shapefiles often hold values wider than their DBF declares
            # (NUMERIC(24,15) and a population of 1.4 billion), which PostgreSQL would refuse.
            "-lco", "PRECISION=NO"]
    if options.get("source_crs"):
        args += ["-s_srs", options["source_crs"]]
    try:
        gdal.VectorTranslate(output, dataset, options=args + [layer_name])
    except RuntimeError as error:
        if geojson_limit_message(options):
            # GeoJSONSeq reads as it goes: the features before the refused one were translated.
            fail(geojson_limit_message(options, failing_feature(layer)))
        fail(f"GDAL could not translate layer '{layer_name}': {error}")

    authority = None
    if source_srs is not None:
        source_srs.AutoIdentifyEPSG()
        if source_srs.GetAuthorityName(None):
            authority = f"{source_srs.GetAuthorityName(None)}:{source_srs.GetAuthorityCode(None)}"
    with open(report, "w", encoding="utf-8") as out:
        json.dump({
            "layer": layer_name,
            "layers": names,
            "declared_geometry_type": ogr.GeometryTypeToName(declared),
            "dropped_z": dropped_z,
            "dropped_m": dropped_m,
            "linearized_curves": linearized,
            "source_crs": authority or options.get("source_crs"),
        }, out)


main()
