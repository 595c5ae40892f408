/** REST answers: API beans the REST routes call, JSON writing, the error-to-HTTP mapping and the API key. */
package io.geoetl.api;
