package io.geoetl.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.TestDatabases;
import io.geoetl.process.ReadmeTour.Command;
import io.geoetl.process.TourShell.Answer;
import io.geoetl.raster.RasterChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * README.md's "Five-minute tour" run as written, against the packaged service with its defaults (only the
 * port, the database, its own fresh Azurite and a short ingest poll interval differ): every command must
 * show what the README says it shows. The expectations are a table in the tour's order, each keyed by a
 * distinctive part of its command, so a command added to the tour or removed from it fails this test
 * until the table follows.
 */
class ReadmeTourIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int BLOB_PORT = port("GEOETL_TOUR_BLOB_PORT", 20010);
    private static final int QUEUE_PORT = port("GEOETL_TOUR_QUEUE_PORT", 20011);
    private static final String STORAGE = ServiceProcess.azuriteConnectionString(BLOB_PORT, QUEUE_PORT);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServiceProcess service;

    private final JdbcTemplate jdbc = TestDatabases.jdbc("tour");
    private final List<String> jobTypes = new ArrayList<>();
    private String helloJob;
    private JsonNode firstPage;
    private String failingJob;
    private String ingestedCog;

    /** What one tour command must show, given its answer; it may run the command again to poll. */
    private interface Check {
        void verify(TourShell shell, Answer answer) throws Exception;
    }

    private record Expectation(String key, Check check) {
    }

    private List<Expectation> tour() {
        return List.of(
                expect("/api/jobs/types", this::listsJobTypesWithParameterSchemas),
                expect("/api/jobs/submit/hello_world", this::acceptsTheJobWithLocation),
                expect("/api/jobs/submit/hello_world", this::answersTheSameJobAgain),
                expect("JOB=", (shell, answer) -> assertThat(answer.output()).isEqualTo(helloJob)),
                expect("/api/jobs/status/$JOB", this::showsStagesCountsProgressAndResult),
                expect("stage=2&limit=2\"", this::pagesRepliesNamingTheirPredecessors),
                expect("&after=", this::pagesOnAfterTheLastPage),
                expect("\"failure_policy\": \"continue\"", this::endsCompletedWithErrorsWithCounts),
                expect("/api/jobs?status=completed&job_type=hello_world", this::listsCompletedHelloJobs),
                expect("/api/health", this::reportsDatabaseQueuesBlobAndGdal),
                expect("/api/openapi.json", this::servesTheOpenApiDocument),
                expect("SAS=", (shell, answer) -> assertThat(answer.output()).contains("sr=c", "sig=")),
                expect("BLOB=", (shell, answer) -> assertThat(answer.output())
                        .isEqualTo("http://127.0.0.1:" + BLOB_PORT + "/devstoreaccount1/bronze")),
                expect("$BLOB/dem/elev.tif", uploads("dem/elev.tif", "terra/elev.tif")),
                expect("$BLOB/vectors/counties.gpkg", uploads("vectors/counties.gpkg", "sf/nc.gpkg")),
                expect("/api/ingest/history", this::autoIngestSubmittedBothUploads),
                expect("/api/jobs/submit/catalog_file", this::catalogsTheDem),
                expect("/api/stac/search?collections=dems", this::findsTheDemItem),
                expect("/api/jobs/submit/process_vector", this::loadsTheCountiesTable),
                expect("/items/geo.nc_counties", this::servesTheTablesItem),
                expect("STACIT:", this::gdalReadsTheDemsCogThroughTheCatalog),
                expect("OAPIF:", this::ogrReadsTheTableThroughTheFeaturesApi),
                expect("-d '{\"n\": \"x\"}'", this::refusesBadInputNamingTheField),
                expect("/api/jobs/submit/nope", this::refusesAnUnknownJobTypeListingTheKnownOnes),
                expect("/api/jobs/status/nope", this::answersNotFoundForAnUnknownJob));
    }

    @BeforeAll
    static void startAzuriteAndTheService() throws Exception {
        azurite("--fresh");
        service = ServiceProcess.startWithDefaults("readme-tour", Map.of(
                "GEOETL_DB_URL", TestDatabases.jdbcUrl("tour"),
                "AZURE_STORAGE_CONNECTION_STRING", STORAGE,
                "GEOETL_INGEST_POLL_INTERVAL", "PT1S")).awaitHealthy();
    }

    @AfterAll
    static void stopTheServiceAndAzurite() throws Exception {
        if (service != null) {
            service.close();
        }
        azurite("--stop");
    }

    @Test
    void everyTourCommandShowsWhatTheReadmeSays() throws Exception {
        List<Command> commands = ReadmeTour.read(Path.of("README.md"));
        List<Expectation> expectations = tour();
        assertThat(ReadmeTour.mismatches(commands, expectations.stream().map(Expectation::key).toList()))
                .as("README's tour commands against this test's expectations (keep both in step)").isEmpty();
        TourShell shell = new TourShell(Map.of("localhost:8080", "localhost:" + service.port(),
                "127.0.0.1:10000", "127.0.0.1:" + BLOB_PORT));
        for (int i = 0; i < commands.size(); i++) {
            Command command = commands.get(i);
            Answer answer = shell.run(command);
            try {
                assertThat(answer.exitCode()).as("exit code").isZero();
                expectations.get(i).check().verify(shell, answer);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("The tour's command does not show what README says.\n" + command
                        + "\n  # " + command.comment().replace("\n", "\n  # ") + "\nIt printed (exit "
                        + answer.exitCode() + "): " + abbreviate(answer.output()) + abbreviate(answer.errors())
                        + "\n" + e.getMessage(), e);
            }
        }
    }

    /** The tour begins in a browser: its first line opens the console, which the service serves at /. */
    @Test
    void theTourStartsByOpeningTheConsole() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String tour = readme.substring(readme.indexOf(ReadmeTour.HEADING) + ReadmeTour.HEADING.length()).strip();
        assertThat(tour.lines().findFirst().orElse("")).startsWithIgnoringCase("open http://localhost:8080/");

        HttpResponse<String> console = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + service.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(console.body()).contains("<title>geoetl console</title>", "/console/app.js");
    }

    private void listsJobTypesWithParameterSchemas(TourShell shell, Answer answer) {
        for (JsonNode type : answer.json().path("job_types")) {
            jobTypes.add(type.path("job_type").asText());
            assertThat(type.path("parameters").path("type").asText()).as(type.path("job_type").asText())
                    .isEqualTo("object");
        }
        assertThat(jobTypes).contains("hello_world", "catalog_file", "process_vector", "process_raster");
    }

    private void acceptsTheJobWithLocation(TourShell shell, Answer answer) {
        assertThat(answer.status()).isEqualTo(202);
        helloJob = answer.json().path("job_id").asText();
        assertThat(helloJob).hasSize(64);
        assertThat(answer.header("Location")).isEqualTo("/api/jobs/status/" + helloJob);
    }

    private void answersTheSameJobAgain(TourShell shell, Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("job_id").asText()).isEqualTo(helloJob);
        assertThat(answer.header("Location")).isEqualTo("/api/jobs/status/" + helloJob);
    }

    private void showsStagesCountsProgressAndResult(TourShell shell, Answer answer) {
        JsonNode status = rerunUntil(shell, answer, a -> ended(a.json()), "the hello_world job to end").json();
        assertThat(status.path("status").asText()).as("the job's status").isEqualTo("completed");
        assertThat(status.path("stage").asInt()).isEqualTo(2);
        assertThat(status.path("total_stages").asInt()).isEqualTo(2);
        assertThat(status.path("progress_percent").asDouble()).isEqualTo(100.0);
        assertThat(status.path("stages")).hasSize(2).allSatisfy(stage -> {
            assertThat(stage.path("task_count").asInt()).isEqualTo(5);
            assertThat(stage.path("tasks_by_status").path("completed").asInt()).isEqualTo(5);
            assertThat(stage.path("duration_ms").isNumber()).isTrue();
        });
        assertThat(status.path("result_data").path("replies").asInt()).isEqualTo(5);
        assertThat(status.has("error_details")).isTrue();
    }

    private void pagesRepliesNamingTheirPredecessors(TourShell shell, Answer answer) {
        firstPage = answer.json();
        JsonNode tasks = firstPage.path("tasks");
        assertThat(tasks).hasSize(2).allSatisfy(this::namesItsStageOnePredecessor);
        assertThat(firstPage.path("next_after").asText()).isEqualTo(tasks.get(1).path("task_id").asText());
    }

    private void pagesOnAfterTheLastPage(TourShell shell, Answer answer) {
        JsonNode tasks = answer.json().path("tasks");
        String after = firstPage.path("next_after").asText();
        assertThat(tasks).hasSize(2).allSatisfy(this::namesItsStageOnePredecessor)
                .allSatisfy(task -> assertThat(task.path("task_id").asText()).isGreaterThan(after));
    }

    private void namesItsStageOnePredecessor(JsonNode task) {
        assertThat(task.path("stage").asInt()).isEqualTo(2);
        String predecessor = helloJob.substring(0, 16) + "-s1-" + task.path("task_key").asText();
        assertThat(task.path("result").path("reply").asText()).endsWith("saying hello to " + predecessor);
    }

    private void endsCompletedWithErrorsWithCounts(TourShell shell, Answer answer) throws IOException {
        failingJob = answer.json().path("job_id").asText();
        assertThat(failingJob).hasSize(64).isNotEqualTo(helloJob);
        JsonNode status = awaitJobEnd(failingJob);
        assertThat(status.path("status").asText()).as("the failing job's status").isEqualTo("completed_with_errors");
        JsonNode greet = status.path("stages").path(0).path("tasks_by_status");
        assertThat(greet.path("completed").asInt()).isEqualTo(4);
        assertThat(greet.path("failed").asInt()).isEqualTo(1);
        assertThat(status.path("stages").path(1).path("tasks_by_status").path("completed").asInt()).isEqualTo(4);
    }

    private void listsCompletedHelloJobs(TourShell shell, Answer answer) {
        JsonNode jobs = answer.json().path("jobs");
        assertThat(jobs).extracting(job -> job.path("job_id").asText()).contains(helloJob).doesNotContain(failingJob);
        assertThat(jobs).allSatisfy(job -> {
            assertThat(job.path("status").asText()).isEqualTo("completed");
            assertThat(job.path("job_type").asText()).isEqualTo("hello_world");
        });
    }

    private void reportsDatabaseQueuesBlobAndGdal(TourShell shell, Answer answer) {
        JsonNode health = answer.json();
        assertThat(health.path("status").asText()).isEqualTo("ok");
        JsonNode checks = health.path("checks");
        assertThat(checks.path("database").path("postgis").asText()).startsWith("3.");
        assertThat(checks.path("queues").path("approximate_depths").has("geoetl-tasks")).isTrue();
        assertThat(checks.path("blob").path("containers")).extracting(JsonNode::asText).contains("bronze");
        assertThat(checks.path("gdal").path("version").asText()).startsWith("GDAL 3.");
    }

    private void servesTheOpenApiDocument(TourShell shell, Answer answer) {
        JsonNode openApi = answer.json();
        assertThat(openApi.path("openapi").asText()).startsWith("3.");
        assertThat(openApi.path("paths").has("/api/jobs/submit/{job_type}")).isTrue();
        assertThat(openApi.path("paths").has("/api/stac/search")).isTrue();
    }

    private Check uploads(String blobName, String fixture) {
        return (shell, answer) -> {
            assertThat(answer.output().strip()).isEqualTo("201");
            assertThat(container("bronze").getBlobClient(blobName).downloadContent().toBytes())
                    .isEqualTo(Files.readAllBytes(Path.of("src/test/resources/fixtures", fixture)));
        };
    }

    private void autoIngestSubmittedBothUploads(TourShell shell, Answer answer) throws IOException {
        JsonNode events = rerunUntil(shell, answer, a -> submitted(a.json(), "dem/elev.tif") != null
                && submitted(a.json(), "vectors/counties.gpkg") != null, "auto-ingest to submit both uploads")
                .json();
        JsonNode raster = submitted(events, "dem/elev.tif");
        JsonNode vector = submitted(events, "vectors/counties.gpkg");
        assertThat(raster.path("job_type").asText()).isEqualTo("process_raster");
        assertThat(vector.path("job_type").asText()).isEqualTo("process_vector");
        // What the comment promises those jobs make: a COG in silver and the table geo.counties.
        JsonNode rasterJob = awaitJobEnd(raster.path("job_id").asText());
        assertThat(rasterJob.path("status").asText()).as("auto-ingest's process_raster job").isEqualTo("completed");
        String cog = rasterJob.path("result_data").path("cog").asText();
        assertThat(cog).contains("/silver/").endsWith(".tif");
        byte[] cogBytes = container("silver").getBlobClient(cog.substring(cog.indexOf("/silver/") + 8))
                .downloadContent().toBytes();
        assertThat(new String(cogBytes, 0, 4, StandardCharsets.ISO_8859_1)).as("TIFF signature").isEqualTo("II*\0");
        ingestedCog = cog.substring(cog.indexOf("/silver/") + 8);
        assertThat(awaitJobEnd(vector.path("job_id").asText()).path("status").asText())
                .as("auto-ingest's process_vector job").isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from geo.counties", Integer.class)).isEqualTo(100);
    }

    private void catalogsTheDem(TourShell shell, Answer answer) throws IOException {
        assertThat(awaitJobEnd(answer.json().path("job_id").asText()).path("status").asText())
                .as("the catalog_file job").isEqualTo("completed");
    }

    private void findsTheDemItem(TourShell shell, Answer answer) {
        JsonNode features = answer.json().path("features");
        assertThat(features).hasSize(1);
        JsonNode item = features.get(0);
        assertThat(item.path("collection").asText()).isEqualTo("dems");
        assertThat(item.path("id").asText()).isEqualTo("dem__elev");
        // The asset link is the API's, which streams bronze/dem/elev.tif (the blob itself is private).
        assertThat(item.path("assets").path("data").path("href").asText())
                .endsWith("/api/stac/collections/dems/items/dem__elev/assets/data");
    }

    private void loadsTheCountiesTable(TourShell shell, Answer answer) throws IOException {
        JsonNode status = awaitJobEnd(answer.json().path("job_id").asText());
        assertThat(status.path("status").asText()).as("the process_vector job").isEqualTo("completed");
        JsonNode result = status.path("result_data");
        assertThat(result.path("table").asText()).isEqualTo("geo.nc_counties");
        assertThat(result.path("source_features").asInt()).isEqualTo(100);
        assertThat(result.path("features").asInt()).isEqualTo(100);
        assertThat(result.path("missing_geometries").isNumber()).isTrue();
        assertThat(result.path("repaired_geometries").isNumber()).isTrue();
        assertThat(result.path("renamed_fields").path("NAME").asText()).isEqualTo("name");
        assertThat(jdbc.queryForObject("select count(*) from geo.nc_counties", Integer.class)).isEqualTo(100);
    }

    private void servesTheTablesItem(TourShell shell, Answer answer) {
        JsonNode item = answer.json();
        assertThat(item.path("type").asText()).isEqualTo("Feature");
        assertThat(item.path("id").asText()).isEqualTo("geo.nc_counties");
        assertThat(item.path("collection").asText()).isEqualTo("vectors");
        assertThat(item.path("properties").path("geoetl:feature_count").asInt()).isEqualTo(100);
    }

    private void gdalReadsTheDemsCogThroughTheCatalog(TourShell shell, Answer answer) throws Exception {
        Path cog = Files.createTempFile("tour-cog", ".tif");
        try {
            container("silver").getBlobClient(ingestedCog).downloadToFile(cog.toString(), true);
            assertThat(RasterChecks.pixels("/tmp/geoetl-elev.tif")).isEqualTo(RasterChecks.pixels(cog.toString()));
            assertThat(RasterChecks.size("/tmp/geoetl-elev.tif").get(0)).isEqualTo(RasterChecks.size(cog).get(0));
        } finally {
            Files.deleteIfExists(cog);
        }
    }

    private void ogrReadsTheTableThroughTheFeaturesApi(TourShell shell, Answer answer) throws Exception {
        Process ogrinfo = new ProcessBuilder("ogrinfo", "-ro", "-so", "-al", "/tmp/geoetl-counties.gpkg")
                .redirectErrorStream(true).start();
        String summary = new String(ogrinfo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ogrinfo.waitFor()).as(summary).isZero();
        assertThat(summary).contains("Feature Count: 100", "Geometry: Multi Polygon");
    }

    private void refusesBadInputNamingTheField(TourShell shell, Answer answer) {
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("invalid_parameter");
        assertThat(answer.json().path("details").path("field").asText()).isEqualTo("n");
    }

    private void refusesAnUnknownJobTypeListingTheKnownOnes(TourShell shell, Answer answer) {
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("unknown_job_type");
        assertThat(answer.json().path("details").path("available")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrderElementsOf(jobTypes);
    }

    private void answersNotFoundForAnUnknownJob(TourShell shell, Answer answer) {
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("error").asText()).isEqualTo("job_not_found");
    }

    private static Expectation expect(String key, Check check) {
        return new Expectation(key, check);
    }

    /** Runs the command again until its answer satisfies the condition, giving up after the deadline. */
    private static Answer rerunUntil(TourShell shell, Answer answer, Predicate<Answer> condition, String what) {
        Instant until = Instant.now().plus(DEADLINE);
        Answer latest = answer;
        while (!condition.test(latest)) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("gave up waiting for " + what + " after " + DEADLINE.toSeconds()
                        + " s; the last answer: " + abbreviate(latest.output()));
            }
            ServiceProcess.pause(250);
            latest = shell.again(latest);
        }
        return latest;
    }

    /** Polls a job's status document (a job the tour submits but does not look at) until the job ended. */
    private static JsonNode awaitJobEnd(String jobId) throws IOException {
        Instant until = Instant.now().plus(DEADLINE);
        while (true) {
            JsonNode status = JSON.readTree(service.get("/api/jobs/status/" + jobId).body());
            if (ended(status)) {
                return status;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("job " + jobId + " did not end within " + DEADLINE.toSeconds() + " s: "
                        + status);
            }
            ServiceProcess.pause(250);
        }
    }

    private static boolean ended(JsonNode status) {
        return !List.of("queued", "processing").contains(status.path("status").asText());
    }

    private static JsonNode submitted(JsonNode history, String blobName) {
        for (JsonNode event : history.path("events")) {
            if (event.path("name").asText().equals(blobName) && event.path("status").asText().equals("submitted")) {
                return event;
            }
        }
        return null;
    }

    private static BlobContainerClient container(String name) {
        return new BlobServiceClientBuilder().connectionString(STORAGE).buildClient().getBlobContainerClient(name);
    }

    private static void azurite(String mode) throws IOException, InterruptedException {
        Process script = new ProcessBuilder("script/azurite", String.valueOf(BLOB_PORT), String.valueOf(QUEUE_PORT),
                mode).inheritIO().start();
        assertThat(script.waitFor()).as("script/azurite " + mode).isZero();
    }

    private static int port(String variable, int fallback) {
        return Integer.parseInt(System.getenv().getOrDefault(variable, String.valueOf(fallback)));
    }

    private static String abbreviate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + " ...";
    }
}
