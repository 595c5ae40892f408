/** Container job types (summarize, list, catalog_file, sync) and the STAC documents built from GDAL metadata. */
package io.geoetl.catalog;
