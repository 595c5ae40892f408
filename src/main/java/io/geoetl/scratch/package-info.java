/** Local scratch space: one folder per process, held by a lock, and the removal of dead processes' folders. */
package io.geoetl.scratch;
