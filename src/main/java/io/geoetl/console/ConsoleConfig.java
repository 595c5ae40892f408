package io.geoetl.console;

import java.util.LinkedHashMap;
import java.util.Map;

import io.geoetl.access.ApiKey;
import io.geoetl.config.ConsoleProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the console's page needs to know before its first API call: the optional online base map and whether
 * the API asks for a key (so the page can say so). Under the open /console/ prefix: it never includes the
 * key itself, only whether one is configured.
 */
@RestController
class ConsoleConfig {

    private final ConsoleProperties console;
    private final ApiKey key;

    ConsoleConfig(ConsoleProperties console, ApiKey key) {
        this.console = console;
        this.key = key;
    }

    @GetMapping(path = "/console/config.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> config() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tile_url", console.hasTiles() ? console.tileUrl() : null);
        body.put("tile_attribution", console.hasTiles() ? console.tileAttribution() : null);
        body.put("api_key_required", key.configured());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }
}
