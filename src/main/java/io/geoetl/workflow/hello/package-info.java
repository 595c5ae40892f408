/** hello_world: the orchestration test job and its two handlers. */
package io.geoetl.workflow.hello;
