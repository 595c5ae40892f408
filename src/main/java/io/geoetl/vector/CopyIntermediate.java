package io.geoetl.vector;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.geoetl.error.PermanentTaskException;

/**
 * The vector intermediate: GDAL's PGDump output (PG_USE_COPY) rewritten as PostgreSQL COPY text
 * that every chunk task can stream into its staging table as is. One pass over the dump, in C-like
 * byte loops rather than per-feature GDAL calls:
 * <ul>
 * <li>features without a geometry (NULL or EMPTY) are dropped and counted;</li>
 * <li>the geometry family is read from each hex EWKB header: points, lines and polygons may not be
 * mixed, collections and curves are refused, and any single-part geometry left is wrapped as a
 * one-part Multi geometry so that the table holds one type;</li>
 * <li>each kept row gets a sequential fid in front, and every {@code chunkSize} rows the byte offset
 * is recorded: a chunk is a fid range and a byte range of the file;</li>
 * <li>a feature larger than {@code maxFeatureBytes} (its geometry as WKB plus its attribute text) fails
 * the load, naming the feature: one row is held in memory here and one value in PostgreSQL, and
 * neither may grow with whatever a file holds.</li>
 * </ul>
 * The rows are zstd-compressed, one frame per chunk, so that a chunk's byte range decompresses on its
 * own (and {@code zstd -dc} reads the whole blob): hex EWKB shrinks 4-5 times, and the intermediate
 * crosses the blob store twice, once up in stage 1 and once down in stage 2.
 */
final class CopyIntermediate {

    static final String GEOMETRY_COLUMN = "geom";
    static final String FID_COLUMN = "ogc_fid";

    /** An attribute column as GDAL declared it ({@code ALTER TABLE ... ADD COLUMN "name" TYPE}). */
    record Column(String name, String type) {
    }

    /** Rows with fid in (afterFid, toFid], bytes [offset, offset + length) of the intermediate. */
    record Chunk(String key, long afterFid, long toFid, long offset, long length) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("key", key);
            map.put("after_fid", afterFid);
            map.put("to_fid", toFid);
            map.put("offset", offset);
            map.put("length", length);
            return map;
        }
    }

    /**
     * @param fidColumn      name of the fid column written in front of every row
     * @param columns        attribute columns under their safe names (not the fid, not the geometry)
     * @param renamed        source field name to column name, for the fields whose name was not safe
     * @param copyColumns    the column order of every intermediate row, fid first
     * @param geometryType   MULTIPOINT, MULTILINESTRING or MULTIPOLYGON
     * @param sourceFeatures rows GDAL wrote
     * @param features       rows kept
     * @param missing        rows dropped for a NULL or EMPTY geometry
     * @param chunks         the chunk plan, byte ranges of the compressed intermediate
     * @param rowBytes       size of the rows before compression
     * @param compressedBytes size of the intermediate
     */
    record Result(String fidColumn, List<Column> columns, Map<String, String> renamed, List<String> copyColumns,
            String geometryType, long sourceFeatures, long features, long missing, List<Chunk> chunks,
            long rowBytes, long compressedBytes) {
    }

    /** How the intermediate's chunks are compressed, as the chunk loader reads it from the stage-1 report. */
    static final String COMPRESSION = "zstd";
    /** zstd's fastest regular level: the rewrite runs beside GDAL on the same cores. */
    private static final int ZSTD_LEVEL = 1;

    private static final Pattern ADD_COLUMN = Pattern.compile(
            "^ALTER TABLE .+? ADD COLUMN (\"(?:[^\"]|\"\")+\") (.+?);$");
    /** Types GDAL's PostgreSQL writer declares; anything else is refused rather than run as SQL. */
    private static final Pattern SAFE_TYPE = Pattern.compile(
            "^[A-Za-z][A-Za-z0-9 ]*(\\(\\d+(,\\d+)?\\))?( WITH(OUT)? TIME ZONE)?(\\[\\])?$");
    private static final Pattern COPY = Pattern.compile("^COPY .+? \\((.*)\\) FROM STDIN;$");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")+)\"");
    private static final String[] FAMILIES = {null, "point", "line", "polygon"};
    /** What a row's geometry field needs: dropped, written as GDAL wrote it, or wrapped as a one-part Multi. */
    private static final int MISSING = 0;
    private static final int UNCHANGED = 1;
    private static final int WRAP = 2;

    private CopyIntermediate() {
    }

    /**
     * Reads GDAL's dump from {@code dump} and writes the compressed intermediate to {@code out}, which it
     * leaves open.
     */
    static Result write(InputStream dump, OutputStream out, long chunkSize, long maxFeatureBytes) throws IOException {
        CountingOutputStream counted = new CountingOutputStream(out);
        ZstdOutputStreamNoFinalizer frames = new ZstdOutputStreamNoFinalizer(counted, ZSTD_LEVEL);
        try (frames) {
            // A flush ends the frame: the writer flushes exactly at chunk ends.
            frames.setCloseFrameOnFlush(true);
            FeatureSizeLimit limit = new FeatureSizeLimit(maxFeatureBytes);
            return new Writer(new CopyLineReader(dump, limit.maxRowChars()), new BufferedOutputStream(frames,
                    1 << 16), counted, chunkSize, limit).run();
        }
    }

    /** A chunk's rows from its byte range of the intermediate. */
    static InputStream readChunk(InputStream compressed) throws IOException {
        return new ZstdInputStreamNoFinalizer(compressed);
    }

    /** Counts the bytes that reach the blob; closing it leaves the blob's stream open. */
    private static final class CountingOutputStream extends OutputStream {

        private final OutputStream out;
        private long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }

    private static final class Writer {

        private final CopyLineReader reader;
        private final OutputStream out;
        private final CountingOutputStream compressed;
        private final long chunkSize;
        private final FeatureSizeLimit featureLimit;
        private final List<Column> columns = new ArrayList<>();
        private final List<Chunk> chunks = new ArrayList<>();
        private final TreeSet<String> families = new TreeSet<>();
        /** The families as bits, so that a row of a known family costs no set lookup. */
        private int familiesSeen;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        /** Room for a fid's digits or a Multi header, reused by every row. */
        private final byte[] scratch = new byte[64];
        private long written;
        private long chunkStart;
        private long sourceFeatures;
        private long features;
        private long missing;

        Writer(CopyLineReader reader, OutputStream out, CountingOutputStream compressed, long chunkSize,
                FeatureSizeLimit featureLimit) {
            this.reader = reader;
            this.out = out;
            this.compressed = compressed;
            this.chunkSize = chunkSize;
            this.featureLimit = featureLimit;
        }

        Result run() throws IOException {
            try {
                return rows();
            } catch (CopyLineReader.RowTooLongException e) {
                throw featureLimit.tooLarge(sourceFeatures + 1, null);
            }
        }

        private Result rows() throws IOException {
            List<String> copyColumns = null;
            while (copyColumns == null && reader.next()) {
                String line = reader.text();
                Matcher added = ADD_COLUMN.matcher(line);
                Matcher copy = COPY.matcher(line);
                if (added.matches()) {
                    columns.add(column(unquote(added.group(1)), added.group(2)));
                } else if (copy.matches()) {
                    copyColumns = new ArrayList<>();
                    Matcher quoted = QUOTED.matcher(copy.group(1));
                    while (quoted.find()) {
                        copyColumns.add(quoted.group(1).replace("\"\"", "\""));
                    }
                }
            }
            Map<String, String> safe = ColumnNames.safe(columns.stream().map(Column::name).toList());
            List<Column> safeColumns = columns.stream().map(column -> new Column(safe.get(column.name()),
                    column.type())).toList();
            Map<String, String> renamed = new LinkedHashMap<>();
            safe.forEach((name, safeName) -> {
                if (!name.equals(safeName)) {
                    renamed.put(name, safeName);
                }
            });
            if (copyColumns == null) {
                // GDAL writes no COPY block for a layer without features.
                return new Result(FID_COLUMN, safeColumns, renamed, List.of(), null, 0, 0, 0, List.of(), 0, 0);
            }
            int geometryField = copyColumns.indexOf(GEOMETRY_COLUMN);
            if (geometryField < 0) {
                throw new PermanentTaskException("invalid_vector", "the layer has no geometry column");
            }
            while (reader.next() && !reader.isEndOfData()) {
                sourceFeatures++;
                row(geometryField);
            }
            if (features > (chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).toFid())) {
                chunks.add(chunk());
            }
            if (families.size() > 1) {
                throw new PermanentTaskException("mixed_geometry_types", "the layer mixes " + String.join(" and ",
                        families.stream().map(family -> family + "s").toList()) + "; a table holds one geometry "
                        + "type: split the file by geometry type first");
            }
            List<String> rowColumns = new ArrayList<>(List.of(FID_COLUMN));
            // By position: a text field may be called "geom" too (a CSV's second WKT column), and is renamed.
            for (int i = 0; i < copyColumns.size(); i++) {
                rowColumns.add(i == geometryField ? GEOMETRY_COLUMN : safe.getOrDefault(copyColumns.get(i),
                        copyColumns.get(i)));
            }
            String geometryType = families.isEmpty() ? null : "MULTI" + switch (families.first()) {
                case "point" -> "POINT";
                case "line" -> "LINESTRING";
                default -> "POLYGON";
            };
            return new Result(FID_COLUMN, safeColumns, renamed, rowColumns, geometryType, sourceFeatures, features,
                    missing, chunks, written, compressed.count);
        }

        private void row(int geometryField) throws IOException {
            byte[] line = reader.bytes();
            int length = reader.length();
            int start = fieldStart(line, length, geometryField);
            int end = fieldEnd(line, length, start);
            featureLimit.check(sourceFeatures, length, end - start);
            int kind = geometry(line, start, end);
            if (kind == MISSING) {
                missing++;
                return;
            }
            requireUtf8(line, length);
            features++;
            int fidLength = digits(features);
            scratch[fidLength] = '\t';
            out.write(scratch, 0, fidLength + 1);
            if (kind == UNCHANGED) {
                out.write(line, 0, length);
                written += length;
            } else {
                out.write(line, 0, start);
                int type = HexEwkb.type(line, start);
                int header = HexEwkb.oneMultiHeader(line, start, type, scratch);
                out.write(scratch, 0, header);
                int body = start + HexEwkb.headerLength(type);
                out.write(line, body, length - body);
                written += start + header + length - body;
            }
            out.write('\n');
            written += fidLength + 2;
            if (features % chunkSize == 0) {
                chunks.add(chunk());
            }
        }

        /** Writes the decimal digits of {@code value} to the start of the scratch buffer; returns their count. */
        private int digits(long value) {
            int count = 0;
            for (long rest = value; rest > 0; rest /= 10) {
                count++;
            }
            for (int at = count - 1; at >= 0; at--) {
                scratch[at] = (byte) ('0' + value % 10);
                value /= 10;
            }
            return count;
        }

        /**
         * GDAL passes a shapefile's or CSV's bytes through when it does not know their encoding; the
         * database would refuse them in stage 2 with an error that names no feature.
         */
        private void requireUtf8(byte[] line, int length) {
            for (int i = 0; i < length; i++) {
                if (line[i] < 0) {
                    try {
                        utf8.decode(ByteBuffer.wrap(line, 0, length));
                    } catch (CharacterCodingException e) {
                        throw new PermanentTaskException("invalid_encoding", "feature " + sourceFeatures
                                + " has text that is not UTF-8: give the file's encoding with the encoding parameter "
                                + "(for example ISO-8859-1 or windows-1252)");
                    }
                    return;
                }
            }
        }

        private Chunk chunk() throws IOException {
            out.flush();
            Chunk chunk = new Chunk(String.format("chunk_%04d", chunks.size()), chunks.isEmpty() ? 0
                    : chunks.get(chunks.size() - 1).toFid(), features, chunkStart, compressed.count - chunkStart);
            chunkStart = compressed.count;
            return chunk;
        }

        /**
         * What to do with the hex EWKB field at [start, end): {@link #MISSING} for a missing or empty
         * geometry, {@link #UNCHANGED} for a Multi geometry, {@link #WRAP} for a single-part one.
         */
        private int geometry(byte[] line, int start, int end) {
            if (end - start == 2 && line[start] == '\\' && line[start + 1] == 'N') {
                return MISSING;
            }
            if (end - start < 10) {
                throw new PermanentTaskException("invalid_vector", "unreadable geometry in feature " + sourceFeatures);
            }
            int type = HexEwkb.type(line, start);
            int base = HexEwkb.base(type);
            if (base > HexEwkb.POINT && base <= HexEwkb.GEOMETRY_COLLECTION
                    && HexEwkb.firstCount(line, start, end, type) == 0) {
                return MISSING;
            }
            if (base < HexEwkb.POINT || base >= HexEwkb.GEOMETRY_COLLECTION) {
                throw new PermanentTaskException("unsupported_geometry", "the layer holds geometry collections or "
                        + "curves, which geoetl cannot load as one geometry type (feature " + sourceFeatures + ")");
            }
            int family = base > HexEwkb.MULTI_OFFSET ? base - HexEwkb.MULTI_OFFSET : base;
            if ((familiesSeen & 1 << family) == 0) {
                familiesSeen |= 1 << family;
                families.add(FAMILIES[family]);
            }
            return base > HexEwkb.MULTI_OFFSET ? UNCHANGED : WRAP;
        }
    }

    /** Start of field {@code index} of a COPY text row; a backslash escapes the byte after it. */
    static int fieldStart(byte[] line, int length, int index) {
        int field = 0;
        for (int i = 0; i < length && field < index; i++) {
            if (line[i] == '\\') {
                i++;
            } else if (line[i] == '\t' && ++field == index) {
                return i + 1;
            }
        }
        if (field < index) {
            throw new PermanentTaskException("invalid_vector", "a row of GDAL's output has too few fields");
        }
        return 0;
    }

    static int fieldEnd(byte[] line, int length, int start) {
        for (int i = start; i < length; i++) {
            if (line[i] == '\\') {
                i++;
            } else if (line[i] == '\t') {
                return i;
            }
        }
        return length;
    }

    private static Column column(String name, String declaration) {
        String type = declaration.replaceFirst("(?i) (NOT NULL|DEFAULT|UNIQUE)\\b.*$", "").strip();
        if (!SAFE_TYPE.matcher(type).matches()) {
            throw new PermanentTaskException("unsupported_field_type", "field '" + name + "' has a type geoetl "
                    + "does not load: " + type);
        }
        return new Column(name, type);
    }

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
    }
}
