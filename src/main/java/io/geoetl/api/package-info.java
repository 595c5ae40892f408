/** REST answers: API beans the REST routes call, JSON writing, and the error-to-HTTP mapping (access checks: io.geoetl.access). */
package io.geoetl.api;
