/** Typed settings per area (one record each) and the beans built from them. */
package io.geoetl.config;
