/** process_vector: six formats into PostGIS through a validated intermediate, chunked loads and an atomic finalize. */
package io.geoetl.vector;
