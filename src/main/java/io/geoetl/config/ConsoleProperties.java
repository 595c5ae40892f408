package io.geoetl.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The web console served at /.
 *
 * @param tileUrl         an online base map's tile URL template ({z}, {x}, {y}, optionally {s} as the first
 *                        label of the host), http or https; empty: the console shows only its bundled
 *                        world outline and fetches nothing from outside
 * @param tileAttribution the attribution the tile provider asks for, shown on the map (plain text)
 */
@ConfigurationProperties(prefix = "geoetl.console")
public record ConsoleProperties(String tileUrl, String tileAttribution) {

    /** scheme://host[:port]/..., the host possibly starting with one {placeholder} label. */
    private static final Pattern TEMPLATE = Pattern.compile(
            "(https?)://((?:\\{[a-z]+\\}\\.)?[A-Za-z0-9.-]+)(:[0-9]{1,5})?(/[^\\s\"';]*)?");

    public ConsoleProperties {
        tileUrl = tileUrl == null ? "" : tileUrl.strip();
        tileAttribution = tileAttribution == null ? "" : tileAttribution.strip();
        if (!tileUrl.isEmpty()) {
            Matcher matcher = TEMPLATE.matcher(tileUrl);
            if (!matcher.matches() || !tileUrl.contains("{z}") || !tileUrl.contains("{x}") || !tileUrl.contains("{y}")) {
                throw new IllegalArgumentException("geoetl.console.tile-url (GEOETL_CONSOLE_TILE_URL) must be an "
                        + "http or https tile URL template with {z}, {x} and {y}, such as "
                        + "https://tile.example.org/{z}/{x}/{y}.png; got " + tileUrl);
            }
            try {
                new URI(tileUrl.replaceAll("\\{[a-z]+\\}", "x"));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("geoetl.console.tile-url (GEOETL_CONSOLE_TILE_URL) is not a URL: "
                        + e.getMessage(), e);
            }
        }
    }

    public boolean hasTiles() {
        return !tileUrl.isEmpty();
    }

    /**
     * The tiles' origin as a Content-Security-Policy source: https://tile.example.org, or
     * https://*.tile.example.org for a {s} subdomain template. Null without tiles.
     */
    public String tileOrigin() {
        if (!hasTiles()) {
            return null;
        }
        Matcher matcher = TEMPLATE.matcher(tileUrl);
        if (!matcher.matches()) {
            throw new IllegalStateException("checked in the constructor");
        }
        String host = matcher.group(2).replaceFirst("^\\{[a-z]+\\}", "*").toLowerCase(Locale.ROOT);
        return matcher.group(1) + "://" + host + (matcher.group(3) == null ? "" : matcher.group(3));
    }
}
