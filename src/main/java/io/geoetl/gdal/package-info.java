/** The only code that starts GDAL programs: processes with time-outs, captured output, and kill on interrupt. */
package io.geoetl.gdal;
