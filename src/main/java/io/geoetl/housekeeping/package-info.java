/** Housekeeping: the unpublish job and the retention of ended jobs. */
package io.geoetl.housekeeping;
