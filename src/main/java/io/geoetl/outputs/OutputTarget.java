package io.geoetl.outputs;

/**
 * Something a job writes that a source owns: a table ({@code schema.table}) or a STAC item
 * ({@code collection/item}; for a tiled raster, the item id its tiles were made for).
 */
public record OutputTarget(String kind, String name) {

    public static OutputTarget table(String schema, String table) {
        return new OutputTarget("table", schema + "." + table);
    }

    public static OutputTarget item(String collectionId, String itemId) {
        return new OutputTarget("item", collectionId + "/" + itemId);
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }
}
