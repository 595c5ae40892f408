/**
 * Who may reach the HTTP server, checked before any route runs: where it listens (loopback only unless an API
 * key is set), which endpoints need the key, and that writes carry JSON so a form on another site cannot
 * submit one.
 */
package io.geoetl.access;
