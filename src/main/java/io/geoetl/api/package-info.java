/**
 * REST answers: API beans the REST routes call, JSON writing and the error-to-HTTP mapping. Who may call
 * them is decided before any route, in io.geoetl.access.
 */
package io.geoetl.api;
