/**
 * The Workflow contract, the typed parameter schema and the catalog of job types built from Spring
 * beans. One sub-package per job type holds its workflow class and its handlers.
 */
package io.geoetl.workflow;
