/** One error hierarchy for API answers and task retry decisions, and the mapping that reads it. */
package io.geoetl.error;
