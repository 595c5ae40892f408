"""Prints machine-readable metadata of a vector file as JSON (GDAL 3.6's ogrinfo has no -json).

Usage: ogr_info.py PATH DRIVER[,DRIVER...]
Only the listed drivers may open the file, so content pointing at other drivers is refused.
Exit 2 with a message on stderr when the file cannot be opened.
"""
import json
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
# No network and no sidecars: the environment geoetl starts every GDAL process in sees to both
# (io.geoetl.gdal.GdalEnvironment).


def srs_info(srs):
    if srs is None:
        return None
    srs = srs.Clone()
    srs.AutoIdentifyEPSG()
    authority = srs.GetAuthorityName(None)
    code = srs.GetAuthorityCode(None)
    return {
        "code": f"{authority}:{code}" if authority and code else None,
        "wkt2": srs.ExportToWkt(["FORMAT=WKT2_2019"]),
    }


def wgs84_extent(layer, srs):
    try:
        minx, maxx, miny, maxy = layer.GetExtent(force=1)
    except RuntimeError:
        return None
    if srs is None:
        return [minx, miny, maxx, maxy]
    target = osr.SpatialReference()
    target.ImportFromEPSG(4326)
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    source = srs.Clone()
    source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(source, target)
    west, south, east, north = transform.TransformBounds(minx, miny, maxx, maxy, 21)
    return [west, south, east, north]


def main():
    path, drivers = sys.argv[1], sys.argv[2].split(",")
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=drivers)
    except RuntimeError as error:
        print(f"cannot open as a vector file ({', '.join(drivers)}): {error}", file=sys.stderr)
        sys.exit(2)
    if dataset is None:
        print(f"cannot open as a vector file ({', '.join(drivers)})", file=sys.stderr)
        sys.exit(2)
    layers = []
    for index in range(dataset.GetLayerCount()):
        layer = dataset.GetLayerByIndex(index)
        srs = layer.GetSpatialRef()
        definition = layer.GetLayerDefn()
        layers.append({
            "name": layer.GetName(),
            "feature_count": layer.GetFeatureCount(),
            "geometry_type": ogr.GeometryTypeToName(layer.GetGeomType()),
            "crs": srs_info(srs),
            "bbox_wgs84": wgs84_extent(layer, srs),
            "fields": [
                {"name": definition.GetFieldDefn(i).GetName(),
                 "type": definition.GetFieldDefn(i).GetTypeName()}
                for i in range(definition.GetFieldCount())
            ],
        })
    print(json.dumps({"driver": dataset.GetDriver().ShortName, "layers": layers}))


main()
