/** Blob access and the local GDAL installation. */
package io.geoetl.storage;
