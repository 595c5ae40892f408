package io.geoetl.vector;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * COPY text rows, one at a time, from a stream: a row ends at a newline that no backslash escapes
 * (GDAL writes a newline inside a value as backslash + newline). A row longer than the reader's limit
 * is not held in memory: reading stops with {@link RowTooLongException}.
 */
final class CopyLineReader {

    /** A row longer than the limit: the heap never holds more than the limit of one row. */
    static final class RowTooLongException extends IOException {

        RowTooLongException(int limit) {
            super("a row of more than " + limit + " bytes");
        }
    }

    private static final byte[] NEWLINE = {'\n'};

    private final InputStream in;
    private final int maxLength;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1 << 12];
    private int length;

    CopyLineReader(InputStream in) {
        this(in, Integer.MAX_VALUE - 64);
    }

    CopyLineReader(InputStream in, int maxLength) {
        this.in = in;
        this.maxLength = maxLength;
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

    private void append(byte[] source, int from, int count) throws RowTooLongException {
        if ((long) length + count > maxLength) {
            throw new RowTooLongException(maxLength);
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxLength, Math.max(2L * line.length, length + count)));
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
