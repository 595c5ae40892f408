/**
 * The engine: submit, open stages, dispatch tasks in a window, run them under leases, record
 * outcomes and advance each stage exactly once. The repositories hold all of its SQL.
 */
package io.geoetl.orchestration;
