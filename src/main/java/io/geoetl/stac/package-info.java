/** The STAC catalog (collections and items in PostGIS) and the STAC API 1.0 that serves it. */
package io.geoetl.stac;
