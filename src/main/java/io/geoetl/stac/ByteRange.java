package io.geoetl.stac;

/**
 * The part of a blob a GET asks for, from its {@code Range} header (RFC 9110, section 14). One range
 * of bytes is served as asked; a header this class does not serve (another unit, several ranges, a
 * malformed one) is ignored and the whole blob is sent, as the RFC allows. A range that starts past the
 * end is unsatisfiable (416).
 *
 * @param first         first byte, inclusive
 * @param last          last byte, inclusive
 * @param partial       whether the answer is 206 with Content-Range (false: 200, the whole blob)
 * @param unsatisfiable whether the answer is 416
 */
record ByteRange(long first, long last, boolean partial, boolean unsatisfiable) {

    static ByteRange of(String header, long size) {
        ByteRange whole = new ByteRange(0, size - 1, false, false);
        if (header == null || !header.regionMatches(true, 0, "bytes=", 0, 6)) {
            return whole;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (spec.contains(",") || dash < 0) {
            return whole;
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        if (!from.matches("[0-9]{0,18}") || !to.matches("[0-9]{0,18}") || (from.isEmpty() && to.isEmpty())) {
            return whole;
        }
        if (from.isEmpty()) {
            long suffix = Long.parseLong(to);
            return suffix == 0 || size == 0 ? unsatisfiable(size)
                    : new ByteRange(Math.max(0, size - suffix), size - 1, true, false);
        }
        long first = Long.parseLong(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : Long.parseLong(to);
        if (last < first) {
            return whole;
        }
        if (first >= size) {
            return unsatisfiable(size);
        }
        return new ByteRange(first, Math.min(last, size - 1), true, false);
    }

    private static ByteRange unsatisfiable(long size) {
        return new ByteRange(0, size - 1, false, true);
    }

    long length() {
        return last - first + 1;
    }
}
