package io.geoetl.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CopyLineReaderTest {

    /** Rows as GDAL writes them: an escaped newline and tab inside values, a value ending in a backslash. */
    private static final List<String> ROWS = List.of(
            "a\tplain",
            "b\tline one\\\nline two",
            "c\tends in a backslash \\\\",
            "d\ttwo escaped newlines\\\n\\\n",
            "",
            "e\t" + "x".repeat(10_000) + "\\\n" + "y".repeat(70_000),
            "\\.");

    @Test
    void splitsRowsAtUnescapedNewlinesWhateverTheReadSizes() throws IOException {
        byte[] text = (String.join("\n", ROWS) + "\n").getBytes(StandardCharsets.UTF_8);
        for (int readSize : new int[] {1, 2, 3, 7, 4096, 1 << 20}) {
            assertThat(rows(new Trickle(text, readSize))).as("reads of %d bytes", readSize).isEqualTo(ROWS);
        }
    }

    @Test
    void aLastRowWithoutNewlineIsStillARow() throws IOException {
        assertThat(rows(new ByteArrayInputStream("one\ntwo".getBytes(StandardCharsets.UTF_8))))
                .containsExactly("one", "two");
    }

    private static List<String> rows(InputStream in) throws IOException {
        CopyLineReader reader = new CopyLineReader(in);
        List<String> rows = new ArrayList<>();
        while (reader.next()) {
            rows.add(reader.text());
        }
        return rows;
    }

    /** Hands out at most {@code readSize} bytes per read, as a pipe may. */
    private static final class Trickle extends InputStream {

        private final byte[] bytes;
        private final int readSize;
        private int position;

        Trickle(byte[] bytes, int readSize) {
            this.bytes = bytes;
            this.readSize = readSize;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position == bytes.length) {
                return -1;
            }
            int count = Math.min(Math.min(length, readSize), bytes.length - position);
            System.arraycopy(bytes, position, target, offset, count);
            position += count;
            return count;
        }
    }
}
