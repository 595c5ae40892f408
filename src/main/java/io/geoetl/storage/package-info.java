/** Blob access: listing, downloads, uploads, signed links, and the validation of blob names. */
package io.geoetl.storage;
