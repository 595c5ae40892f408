package io.geoetl.housekeeping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.geoetl.catalog.CatalogService;
import io.geoetl.catalog.StacItems;
import io.geoetl.error.BadRequestException;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.outputs.OutputRegistry;
import io.geoetl.outputs.OutputRegistry.OwnedBlob;
import io.geoetl.outputs.OutputTarget;
import io.geoetl.outputs.StaleBlobs;
import io.geoetl.stac.StacRepository;
import io.geoetl.vector.VectorParameters;
import io.geoetl.workflow.AllowedPlaces;
import io.geoetl.workflow.JobSummaryContext;
import io.geoetl.workflow.ParameterField;
import io.geoetl.workflow.ParameterSchema;
import io.geoetl.workflow.StageDefinition;
import io.geoetl.workflow.StagePlanContext;
import io.geoetl.workflow.TaskClass;
import io.geoetl.workflow.TaskHandler;
import io.geoetl.workflow.TaskSpec;
import io.geoetl.workflow.Workflow;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * unpublish: removes what geoetl published. {@code item_id} (with {@code collection_id}) removes a
 * STAC item and the blobs geoetl wrote for it in silver (a COG); {@code target_table} (with
 * {@code target_schema}) drops a vector table geoetl created and removes its item from the vectors
 * collection. The source blobs in bronze are never touched. The collection's extent is recomputed
 * afterwards.
 */
@Configuration
class UnpublishWorkflow implements Workflow {

    static final String TASK = "unpublish";
    private static final String ITEM_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,255}";
    private static final String COLLECTION_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private final ParameterSchema parameters;

    UnpublishWorkflow(AllowedPlaces places) {
        // A table outside the data schemas (geoetl's own, public, a system schema) cannot even be named.
        this.parameters = ParameterSchema.of(
                ParameterField.optionalString("collection_id", "the item's collection (default for a table: "
                        + "vectors)", 128, COLLECTION_PATTERN),
                ParameterField.optionalString("item_id", "the STAC item to remove with its silver assets", 256,
                        ITEM_PATTERN),
                ParameterField.optionalString("target_table", "the vector table to drop with its item", 63, null),
                places.dataSchemaField("schema of target_table"));
    }

    @Override
    public String jobType() {
        return "unpublish";
    }

    @Override
    public String description() {
        return "Remove a STAC item with its COG in silver, or a vector table with its item";
    }

    @Override
    public ParameterSchema parameters() {
        return parameters;
    }

    @Override
    public Map<String, Object> complete(Map<String, Object> parameters) {
        Map<String, Object> completed = new LinkedHashMap<>(parameters);
        boolean item = parameters.get("item_id") != null;
        boolean table = parameters.get("target_table") != null;
        if (item == table) {
            throw BadRequestException.invalidParameter(item ? "target_table" : "item_id",
                    "give either item_id (with collection_id) or target_table, not both and not neither");
        }
        if (table) {
            VectorParameters.identifier("target_table", (String) parameters.get("target_table"));
            VectorParameters.identifier("target_schema", (String) parameters.get("target_schema"));
            completed.putIfAbsent("collection_id", "vectors");
            completed.put("item_id", parameters.get("target_schema") + "." + parameters.get("target_table"));
            completed.put("kind", "table");
        } else {
            if (parameters.get("collection_id") == null) {
                throw BadRequestException.invalidParameter("collection_id", "is required with item_id");
            }
            completed.remove("target_schema");
            completed.put("kind", "item");
        }
        return completed;
    }

    @Override
    public List<StageDefinition> stages() {
        return List.of(new StageDefinition("unpublish", TASK));
    }

    @Override
    public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
        return Stream.of(new TaskSpec("all", Map.of()));
    }

    @Override
    public Map<String, Object> summarize(JobSummaryContext context) {
        return context.taskResult(1, "all").orElse(Map.of());
    }

    /**
     * Removes only what geoetl made: a table must be registered (one somebody else created is refused as
     * table_not_owned, even when it exists); the item's blobs are those the registry records for it, and
     * one another item still points at stays. Each removal holds the registry's lock on its target, so it
     * cannot interleave with a load or publish of the same output; the registry forgets a target last, so
     * a retry after a crash finishes what the first attempt began.
     */
    @Bean
    TaskHandler unpublishHandler(StacRepository stac, JdbcTemplate jdbc, CatalogService catalog,
            OutputRegistry registry, StaleBlobs staleBlobs, TransactionTemplate transaction) {
        return TaskHandler.of(TASK, TaskClass.LIGHT, input -> {
            Map<String, Object> job = input.jobParameters();
            String collection = (String) job.get("collection_id");
            String itemId = (String) job.get("item_id");
            OutputTarget itemTarget = OutputTarget.item(collection, itemId);
            Map<String, Object> result = new LinkedHashMap<>();
            boolean table = "table".equals(job.get("kind"));
            if (table) {
                String schema = (String) job.get("target_schema");
                String name = (String) job.get("target_table");
                OutputTarget tableTarget = OutputTarget.table(schema, name);
                boolean dropped = Boolean.TRUE.equals(transaction.execute(status -> {
                    registry.lock(tableTarget);
                    boolean exists = Boolean.TRUE.equals(jdbc.queryForObject("select to_regclass(format('%I.%I', "
                            + "?::text, ?::text)) is not null", Boolean.class, schema, name));
                    if (exists && !registry.registered(tableTarget)) {
                        throw new PermanentTaskException("table_not_owned", schema + "." + name + " was not created "
                                + "by geoetl, so unpublish leaves it alone; drop it yourself if it should go");
                    }
                    if (exists) {
                        try {
                            // No CASCADE: a view a user built on the table is theirs to drop first.
                            jdbc.execute("drop table \"" + schema + "\".\"" + name + "\"");
                        } catch (DataAccessException e) {
                            throw new PermanentTaskException("table_in_use", "cannot drop " + schema + "." + name
                                    + ": " + e.getMostSpecificCause().getMessage());
                        }
                    }
                    return exists;
                }));
                if (!dropped && !registry.registered(tableTarget) && stac.findItem(collection, itemId).isEmpty()) {
                    throw new PermanentTaskException("not_found", "neither table " + schema + "." + name
                            + " nor its item in collection " + collection + " exists");
                }
                registry.forget(tableTarget);
                result.put("table_dropped", dropped ? schema + "." + name : null);
            } else if (stac.findItem(collection, itemId).isEmpty() && !registry.registered(itemTarget)) {
                throw new PermanentTaskException("not_found", "item " + itemId + " not found in collection "
                        + collection);
            }
            List<OwnedBlob> owned = new ArrayList<>();
            String tiles = StacItems.tilesCollection(collection, itemId);
            boolean[] removedFrom = {false, false};
            transaction.executeWithoutResult(status -> {
                registry.lock(itemTarget);
                owned.addAll(registry.blobs(itemTarget));
                // A tiled raster's item is its tiles, in their own collection.
                removedFrom[1] = stac.deleteItemsExcept(tiles, itemId + "-tile_", List.of()) > 0;
                removedFrom[0] = stac.deleteItem(collection, itemId);
            });
            boolean deleted = removedFrom[0] || removedFrom[1];
            // After the item is gone: its blobs are deleted unless another item points at them.
            List<String> removed = staleBlobs.remove(owned, List.of());
            registry.forget(itemTarget);
            // The extents follow the items left (also on a retry after the deletion committed); the tiles
            // collection's mosaic thumbnail went with the item's blobs.
            if (stac.findCollection(collection).isPresent()) {
                catalog.refreshCollection(collection);
            }
            if (removedFrom[1] || stac.findCollection(tiles).isPresent() && owned.stream().anyMatch(blob ->
                    blob.name().endsWith("/mosaic-thumbnail.png"))) {
                catalog.refreshCollection(tiles, Map.of());
            }
            result.put("item_removed", deleted ? collection + "/" + itemId : null);
            result.put("blobs_removed", removed);
            return result;
        });
    }
}
