package io.geoetl.gdal;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment every GDAL process runs in. A file's content must never make GDAL read or fetch
 * anything but that file, and GDAL 3.6 has no run-time switch that turns its network access off, so
 * the switch is here, in the one place GDAL processes are started from:
 * <ul>
 * <li>curl's proxy variables send every HTTP, HTTPS or FTP request to a closed port, except those to
 * the blob endpoint's host (named in {@code no_proxy}), which /vsiaz/ needs. A GeoJSON {@code crs}
 * link, a KML NetworkLink or style, a {@code /vsicurl/} URL in an .aux.xml: all fail to connect.
 * Inherited proxy settings (the shell's, GDAL's own {@code GDAL_HTTP_PROXY}) are dropped, since
 * either would override or bypass this one.</li>
 * <li>{@code PROJ_NETWORK=OFF}: PROJ does not download grids from its CDN.</li>
 * <li>{@code GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR} and {@code GDAL_PAM_ENABLED=NO}: GDAL does not
 * look for sidecars (.aux.xml, .tfw, .ovr, .wld, ...) beside the file it opens, so a file someone
 * drops beside another's source cannot change that source's georeferencing, nodata or pixels.
 * Georeferencing comes from the file itself. A shapefile still opens its .shx, .dbf, .prj and .cpg
 * (the driver opens those by name), and geoetl downloads only those beside it.</li>
 * </ul>
 * {@code CPL_VSIL_CURL_ALLOWED_EXTENSIONS} is not set: the proxy already refuses every host but the
 * blob endpoint, and the setting also applies to /vsiaz/, so it would refuse sources whose names
 * carry an unusual extension.
 */
final class GdalEnvironment {

    /** Port 1 (tcpmux) is never served here and only root may listen on it: every connection fails at once. */
    static final String CLOSED_PROXY = "http://127.0.0.1:1";

    private static final String[] PROXY_VARIABLES = {"http_proxy", "https_proxy", "ftp_proxy", "all_proxy",
        "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "ALL_PROXY"};

    private GdalEnvironment() {
    }

    /**
     * The whole environment of a GDAL process: the service's own minus every proxy setting, plus the
     * storage credentials and the settings above.
     *
     * @param inherited        the service's environment
     * @param connectionString the Azure Storage connection string /vsiaz/ reads with
     * @param blobEndpoint     the blob service's URL; its host is the only one GDAL may reach
     */
    static Map<String, String> of(Map<String, String> inherited, String connectionString, String blobEndpoint) {
        Map<String, String> environment = new HashMap<>();
        inherited.forEach((name, value) -> {
            if (!name.toLowerCase(Locale.ROOT).contains("proxy")) {
                environment.put(name, value);
            }
        });
        environment.put("AZURE_STORAGE_CONNECTION_STRING", connectionString);
        for (String variable : PROXY_VARIABLES) {
            environment.put(variable, CLOSED_PROXY);
        }
        String blobHost = blobHost(blobEndpoint);
        environment.put("no_proxy", blobHost);
        environment.put("NO_PROXY", blobHost);
        environment.put("PROJ_NETWORK", "OFF");
        environment.put("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
        environment.put("GDAL_PAM_ENABLED", "NO");
        // A GeoPackage layer can be a view, which SQLite evaluates with every function loaded, SpatiaLite's
        // among them (some open files named in the view, ATTACH another database): untrusted schemas may
        // call no such function, and SpatiaLite's file functions stay off whatever the service inherits.
        environment.put("OGR_SQLITE_PRAGMA", "trusted_schema=OFF");
        environment.put("SPATIALITE_SECURITY", "strict");
        return Map.copyOf(environment);
    }

    /**
     * The host of the blob endpoint as curl's {@code no_proxy} matches it: without port or user, an IPv6
     * address without brackets. Read from the authority, since {@link URI#getHost()} is null for names
     * with an underscore (a Compose service such as {@code my_azurite}).
     */
    static String blobHost(String blobEndpoint) {
        String authority = URI.create(blobEndpoint).getRawAuthority();
        String host = authority == null ? "" : authority.substring(authority.lastIndexOf('@') + 1);
        if (host.startsWith("[")) {
            host = host.substring(1, Math.max(1, host.indexOf(']')));
        } else if (host.contains(":")) {
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("the blob endpoint has no host: " + blobEndpoint);
        }
        return host;
    }
}
