/**
 * File uploads through the API into the container and prefix auto-ingest watches, so that a file sent to
 * geoetl becomes a job the same way a file dropped into blob storage does.
 */
package io.geoetl.upload;
