/** process_raster and process_large_raster: validation, grids and tiles, COGs, STAC publication, mosaics. */
package io.geoetl.raster;
