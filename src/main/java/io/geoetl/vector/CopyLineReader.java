package io.geoetl.vector;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * COPY text rows, one at a time, from a stream: a row ends at a newline that no backslash escapes
 * (GDAL writes a newline inside a value as backslash + newline).
 */
final class CopyLineReader {

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1 << 12];
    private int length;

    CopyLineReader(InputStream in) {
        this.in = in;
    }

    boolean next() throws IOException {
        length = 0;
        boolean escaped = false;
        while (true) {
            if (position == limit) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while reading GDAL's output");
                }
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return length > 0;
                }
            }
            byte b = buffer[position++];
            if (b == '\n' && !escaped) {
                return true;
            }
            escaped = !escaped && b == '\\';
            if (length == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[length++] = b;
        }
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    String text() {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    boolean isEndOfData() {
        return length == 2 && line[0] == '\\' && line[1] == '.';
    }
}
