/**
 * The registry of outputs: which tables, STAC items and output blobs geoetl made, from which source
 * version, by which job. Writers claim their target here before they replace anything, so geoetl
 * changes only what it made and outputs of different sources never overwrite each other silently.
 */
package io.geoetl.outputs;
