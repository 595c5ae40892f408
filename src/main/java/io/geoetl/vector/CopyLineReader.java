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

    private static final byte[] NEWLINE = {'\n'};

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
            // A tight search for the newline, then one bulk copy: this reader sees every byte GDAL writes.
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            append(buffer, position, end - position);
            if (end == limit) {
                position = limit;
                continue;
            }
            position = end + 1;
            if (!endsInEscape()) {
                return true;
            }
            // An escaped newline belongs to the value.
            append(NEWLINE, 0, 1);
        }
    }

    private void append(byte[] source, int from, int count) {
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
        }
        System.arraycopy(source, from, line, length, count);
        length += count;
    }

    /** Whether the row so far ends in an odd run of backslashes, which escapes the newline after it. */
    private boolean endsInEscape() {
        int backslashes = 0;
        while (backslashes < length && line[length - 1 - backslashes] == '\\') {
            backslashes++;
        }
        return backslashes % 2 == 1;
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
