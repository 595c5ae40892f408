package io.geoetl.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.geoetl.api.ApiResponse;
import io.geoetl.config.IngestProperties;
import io.geoetl.error.BadRequestException;
import org.apache.camel.Header;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** GET /api/ingest/history: what auto-ingest did with each blob, newest first. */
@Component
public class IngestApi {

    private static final List<String> STATUSES = List.of("submitted", "skipped", "waiting", "deleted");

    private final JdbcTemplate jdbc;
    private final IngestProperties properties;

    IngestApi(JdbcTemplate jdbc, IngestProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    public ApiResponse history(@Header("name") String name, @Header("status") String status,
            @Header("limit") String limit, @Header("before") String before) {
        if (status != null && !status.isBlank() && !STATUSES.contains(status)) {
            throw new BadRequestException("invalid_parameter", "status must be one of " + String.join(", ",
                    STATUSES), Map.of("field", "status"));
        }
        int pageSize = parseInt("limit", limit, 50);
        if (pageSize < 1 || pageSize > 500) {
            throw new BadRequestException("invalid_parameter", "limit must be between 1 and 500",
                    Map.of("field", "limit"));
        }
        StringBuilder sql = new StringBuilder("select event_id, container, name, etag, status, job_id, job_type, "
                + "reason, at from ingest_event where true");
        List<Object> arguments = new ArrayList<>();
        if (name != null && !name.isBlank()) {
            sql.append(" and name = ?");
            arguments.add(name);
        }
        if (status != null && !status.isBlank()) {
            sql.append(" and status = ?");
            arguments.add(status);
        }
        if (before != null && !before.isBlank()) {
            sql.append(" and event_id < ?");
            arguments.add((long) parseInt("before", before, 0));
        }
        sql.append(" order by event_id desc limit ?");
        arguments.add(pageSize);
        List<Map<String, Object>> events = jdbc.queryForList(sql.toString(), arguments.toArray());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("enabled", properties.enabled());
        answer.put("container", properties.container());
        answer.put("prefix", properties.prefix());
        answer.put("events", events);
        answer.put("count", events.size());
        answer.put("next_before", events.size() == pageSize ? events.get(events.size() - 1).get("event_id") : null);
        return ApiResponse.ok(answer);
    }

    private static int parseInt(String field, String text, int defaultValue) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException("invalid_parameter", field + " must be a whole number",
                    Map.of("field", field));
        }
    }
}
