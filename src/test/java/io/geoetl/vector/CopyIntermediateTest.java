package io.geoetl.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import io.geoetl.error.PermanentTaskException;
import org.junit.jupiter.api.Test;

class CopyIntermediateTest {

    /** A one-ring triangle after the polygon's type (and SRID) header: ring count, point count, coordinates. */
    private static final String RING = "01000000" + "04000000"
            + "0000000000000000" + "0000000000000000" + "000000000000F03F" + "0000000000000000"
            + "000000000000F03F" + "000000000000F03F" + "0000000000000000" + "0000000000000000";
    private static final String MULTIPOLYGON = "0106000020E6100000" + "01000000" + "0103000000" + RING;
    private static final String HEADER = """
            SET standard_conforming_strings = OFF;
            BEGIN;
            CREATE TABLE "public"."data" ( "ogc_fid" SERIAL, CONSTRAINT "data_pk" PRIMARY KEY ("ogc_fid") );
            SELECT AddGeometryColumn('public','data','geom',4326,'GEOMETRY',2);
            ALTER TABLE "public"."data" ADD COLUMN "name" VARCHAR(80) NOT NULL DEFAULT 'x';
            ALTER TABLE "public"."data" ADD COLUMN "area \"\"m2\"\"" NUMERIC(12,3);
            COPY "public"."data" ("geom", "name", "area \"\"m2\"\"") FROM STDIN;
            """;
    private static final String FOOTER = "\\.\nEND;\nCOMMIT;\n";
    private static final long NO_LIMIT = 1L << 29;

    @Test
    void keepsRowsByteForByteWithAFidInFrontAndDropsMissingAndEmptyGeometries() throws Exception {
        String escaped = "tab\\\there, newline\\\nthere, backslash \\\\";
        String dump = HEADER + MULTIPOLYGON + "\t" + escaped + "\t1.5\n"
                + "\\N\tno geometry\t\\N\n"
                + "0106000020E610000000000000\tempty\t\\N\n"
                + "0107000020E610000000000000\tempty collection\t\\N\n"
                + MULTIPOLYGON + "\tsecond\t2\n" + FOOTER;

        Written written = write(dump, 10);

        assertThat(written.text()).isEqualTo("1\t" + MULTIPOLYGON + "\t" + escaped + "\t1.5\n2\t" + MULTIPOLYGON
                + "\tsecond\t2\n");
        CopyIntermediate.Result result = written.result();
        assertThat(result.sourceFeatures()).isEqualTo(5);
        assertThat(result.features()).isEqualTo(2);
        assertThat(result.missing()).isEqualTo(3);
        assertThat(result.geometryType()).isEqualTo("MULTIPOLYGON");
        assertThat(result.fidColumn()).isEqualTo("ogc_fid");
        assertThat(result.copyColumns()).containsExactly("ogc_fid", "geom", "name", "area_m2_");
        assertThat(result.columns()).containsExactly(new CopyIntermediate.Column("name", "VARCHAR(80)"),
                new CopyIntermediate.Column("area_m2_", "NUMERIC(12,3)"));
        assertThat(result.renamed()).containsExactly(entry("area \"m2\"", "area_m2_"));
    }

    @Test
    void fieldNamesBecomeSafeUniqueIdentifiersOfAtMost63Bytes() {
        String long1 = "a".repeat(70);
        String long2 = "A".repeat(70);
        Map<String, String> safe = ColumnNames.safe(List.of("My Field", "my_field", "L\u00e4nge",
                "x-y#z", "2021", "geom", "OGC_FID", "\u5730\u540d", long1, long2, "select",
                "Stra\u00dfe", "\u00d8re", "\u0141\u00f3d\u017a"));

        assertThat(safe).containsExactly(entry("My Field", "my_field_2"), entry("my_field", "my_field"),
                entry("L\u00e4nge", "lange"), entry("x-y#z", "x_y_z"), entry("2021", "f_2021"), entry("geom", "geom_2"),
                entry("OGC_FID", "ogc_fid_2"), entry("\u5730\u540d", "field"), entry(long1, "a".repeat(63)),
                entry(long2, "a".repeat(61) + "_2"), entry("select", "select"),
                entry("Stra\u00dfe", "strasse"), entry("\u00d8re", "ore"), entry("\u0141\u00f3d\u017a", "lodz"));
    }

    @Test
    void aTextFieldNamedLikeTheGeometryColumnIsRenamedAndTheGeometryKeepsItsName() throws Exception {
        String dump = """
                ALTER TABLE "public"."data" ADD COLUMN "name" VARCHAR;
                ALTER TABLE "public"."data" ADD COLUMN "geom" VARCHAR;
                COPY "public"."data" ("geom", "name", "geom") FROM STDIN;
                """ + MULTIPOLYGON + "\tA\tPOINT (3 4)\n" + FOOTER;

        CopyIntermediate.Result result = write(dump, 10).result();

        assertThat(result.copyColumns()).containsExactly("ogc_fid", "geom", "name", "geom_2");
        assertThat(result.columns()).extracting(CopyIntermediate.Column::name).containsExactly("name", "geom_2");
        assertThat(result.renamed()).containsExactly(entry("geom", "geom_2"));
    }

    @Test
    void wrapsSinglePartGeometriesAsOnePartMultiInEitherByteOrder() throws Exception {
        String little = "0103000020E6100000" + RING;
        String big = "00" + "20000003" + "000010E6" + "00000001" + "00000004" + "0".repeat(64);
        String dump = HEADER + little + "\ta\t1\n" + big + "\tb\t2\n" + FOOTER;

        String text = write(dump, 10).text();

        assertThat(text).isEqualTo("1\t" + MULTIPOLYGON + "\ta\t1\n2\t00" + "20000006" + "000010E6" + "00000001"
                + "00" + "00000003" + "00000001" + "00000004" + "0".repeat(64) + "\tb\t2\n");
    }

    @Test
    void chunksPartitionTheFileByFidAndByteRanges() throws Exception {
        StringBuilder dump = new StringBuilder(HEADER);
        for (int i = 1; i <= 5; i++) {
            dump.append(MULTIPOLYGON).append("\trow ").append(i).append("\t").append(i).append('\n');
        }
        dump.append(FOOTER);

        Written written = write(dump.toString(), 2);

        List<CopyIntermediate.Chunk> chunks = written.result().chunks();
        assertThat(chunks).extracting(CopyIntermediate.Chunk::key).containsExactly("chunk_0000", "chunk_0001",
                "chunk_0002");
        assertThat(chunks).extracting(CopyIntermediate.Chunk::afterFid).containsExactly(0L, 2L, 4L);
        assertThat(chunks).extracting(CopyIntermediate.Chunk::toFid).containsExactly(2L, 4L, 5L);
        byte[] bytes = written.bytes();
        long end = 0;
        for (CopyIntermediate.Chunk chunk : chunks) {
            assertThat(chunk.offset()).isEqualTo(end);
            end = chunk.offset() + chunk.length();
            // A chunk's byte range is a zstd frame of its own.
            String slice = decompress(Arrays.copyOfRange(bytes, (int) chunk.offset(), (int) (chunk.offset()
                    + chunk.length())));
            assertThat(slice.lines().map(line -> line.substring(0, line.indexOf('\t'))).toList()).containsExactly(
                    LongStream.rangeClosed(chunk.afterFid() + 1, chunk.toFid()).mapToObj(
                            Long::toString).toArray(String[]::new));
        }
        assertThat(end).isEqualTo(bytes.length).isEqualTo(written.result().compressedBytes());
        assertThat(written.result().rowBytes()).isEqualTo(written.text().length());
    }

    @Test
    void refusesMixedFamiliesCollectionsAndUnsafeTypes() throws Exception {
        String point = "0104000020E6100000" + "01000000" + "0101000000" + "0".repeat(32);
        assertThatThrownBy(() -> write(HEADER + point + "\ta\t1\n" + MULTIPOLYGON + "\tb\t2\n" + FOOTER, 10))
                .isInstanceOf(PermanentTaskException.class).hasMessageContaining("mixes points and polygons");
        String collection = "0107000020E6100000" + "01000000" + "0101000000" + "0".repeat(32);
        assertThatThrownBy(() -> write(HEADER + collection + "\ta\t1\n" + FOOTER, 10))
                .isInstanceOf(PermanentTaskException.class).hasMessageContaining("geometry collections or curves");
        String unsafe = HEADER.replace("NUMERIC(12,3)", "INTEGER); DROP TABLE job; --");
        assertThatThrownBy(() -> write(unsafe + MULTIPOLYGON + "\ta\t1\n" + FOOTER, 10))
                .isInstanceOf(PermanentTaskException.class).hasMessageContaining("type geoetl does not load");
    }

    @Test
    void textThatIsNotUtf8IsRefusedWithTheFeatureAndTheRemedy() throws Exception {
        String valid = HEADER + MULTIPOLYGON + "\tZ\u00fcrich\t1\n" + FOOTER;
        assertThat(write(valid, 10).text()).contains("Z\u00fcrich");

        byte[] latin1 = (HEADER + MULTIPOLYGON + "\tBern\t1\n" + MULTIPOLYGON + "\tZ\u00fcrich\t2\n" + FOOTER)
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CopyIntermediate.write(new ByteArrayInputStream(latin1), new ByteArrayOutputStream(),
                10, NO_LIMIT)).isInstanceOf(PermanentTaskException.class).hasMessageContaining("feature 2 has text that is "
                        + "not UTF-8").hasMessageContaining("encoding parameter");
    }

    @Test
    void aFeatureAboveTheSizeLimitIsRefusedNamingTheFeatureTheLimitAndItsSetting() throws Exception {
        String second = MULTIPOLYGON + "\tsecond\t2";
        // Geometry as WKB (half its hex) plus the attribute text with its separators.
        long size = MULTIPOLYGON.length() / 2 + "\tsecond\t2".length();
        String dump = HEADER + MULTIPOLYGON + "\ta\t1\n" + second + "\n" + FOOTER;

        assertThat(write(dump, 10, size).result().features()).isEqualTo(2);
        assertThatThrownBy(() -> write(dump, 10, size - 1)).isInstanceOf(PermanentTaskException.class)
                .hasMessage("feature 2 is " + size + " bytes (geometry as WKB plus attribute text), above the limit of "
                        + (size - 1) + " bytes a feature (GEOETL_VECTOR_MAX_FEATURE_BYTES): simplify or split it, or "
                        + "raise the limit")
                .extracting(error -> ((PermanentTaskException) error).code()).isEqualTo("feature_too_large");
    }

    @Test
    void aRowTooLongToHoldIsRefusedBeforeItIsReadWhole() throws Exception {
        // 10 MB of attribute text against a limit of 1,000 bytes: reading stops after about 2,064 bytes of it.
        String dump = HEADER + MULTIPOLYGON + "\ta\t1\n" + MULTIPOLYGON + "\t" + "x".repeat(10_000_000) + "\t2\n"
                + FOOTER;

        assertThatThrownBy(() -> write(dump, 10, 1_000)).isInstanceOf(PermanentTaskException.class)
                .hasMessage("feature 2 is larger than the limit of 1,000 bytes a feature (geometry as WKB plus attribute "
                        + "text, GEOETL_VECTOR_MAX_FEATURE_BYTES): simplify or split it, or raise the limit");
    }

    @Test
    void aLayerWithoutFeaturesHasNoRowsAndNoChunks() throws Exception {
        Written written = write(HEADER.substring(0, HEADER.indexOf("COPY")) + "END;\nCOMMIT;\n", 10);

        assertThat(written.text()).isEmpty();
        assertThat(written.result().features()).isZero();
        assertThat(written.result().chunks()).isEmpty();
    }

    private record Written(CopyIntermediate.Result result, byte[] bytes) {
        String text() throws IOException {
            return decompress(bytes);
        }
    }

    private static String decompress(byte[] compressed) throws IOException {
        try (InputStream in = CopyIntermediate.readChunk(new ByteArrayInputStream(compressed))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Written write(String dump, long chunkSize) throws Exception {
        return write(dump, chunkSize, NO_LIMIT);
    }

    private Written write(String dump, long chunkSize, long maxFeatureBytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CopyIntermediate.Result result = CopyIntermediate.write(new ByteArrayInputStream(dump.getBytes(
                StandardCharsets.UTF_8)), out, chunkSize, maxFeatureBytes);
        return new Written(result, out.toByteArray());
    }
}
