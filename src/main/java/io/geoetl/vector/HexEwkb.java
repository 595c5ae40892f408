package io.geoetl.vector;

import java.nio.charset.StandardCharsets;

/**
 * The header of a geometry in hex EWKB, as PostgreSQL's COPY text carries it, read and written in place:
 * a byte order digit pair, the type as four bytes (with EWKB's SRID flag), the SRID when flagged, then
 * for a Multi geometry the part count. Nothing is decoded beyond the header.
 */
final class HexEwkb {

    static final int POINT = 1;
    static final int MULTI_OFFSET = 3;
    static final int GEOMETRY_COLLECTION = 7;
    private static final int SRID_FLAG = 0x20000000;
    private static final int FLAGS = 0xF0000000;
    private static final byte[] DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private HexEwkb() {
    }

    /** The type word of the geometry at {@code start}, flags included. */
    static int type(byte[] hex, int start) {
        return (int) uint32(hex, start + 2, littleEndian(hex, start));
    }

    /** The OGC base type (1 point ... 7 collection, higher for curves) without flags or ISO dimension offsets. */
    static int base(int type) {
        return (type & ~FLAGS) % 1000;
    }

    /** Hex digits before the body: byte order and type, and the SRID when the type flags one. */
    static int headerLength(int type) {
        return 10 + ((type & SRID_FLAG) != 0 ? 8 : 0);
    }

    /** The first four bytes of the body (a Multi geometry's part count), or -1 when the field is shorter. */
    static long firstCount(byte[] hex, int start, int end, int type) {
        int at = start + headerLength(type);
        return end - start >= headerLength(type) + 8 ? uint32(hex, at, littleEndian(hex, start)) : -1;
    }

    /**
     * The header that turns the single-part geometry at {@code start} into a one-part Multi geometry when
     * written in front of its body: the Multi header (same byte order, flags and SRID), a part count of
     * one, and the part's own header without the SRID. Writes it to {@code target}; returns its length.
     */
    static int oneMultiHeader(byte[] hex, int start, int type, byte[] target) {
        boolean little = littleEndian(hex, start);
        int at = 0;
        target[at++] = hex[start];
        target[at++] = hex[start + 1];
        at = write(target, at, (type & FLAGS) | (base(type) + MULTI_OFFSET), little);
        if ((type & SRID_FLAG) != 0) {
            System.arraycopy(hex, start + 10, target, at, 8);
            at += 8;
        }
        at = write(target, at, 1, little);
        target[at++] = hex[start];
        target[at++] = hex[start + 1];
        return write(target, at, type & ~SRID_FLAG, little);
    }

    private static boolean littleEndian(byte[] hex, int start) {
        return hex[start + 1] == '1';
    }

    private static long uint32(byte[] hex, int at, boolean little) {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            int index = little ? 3 - i : i;
            value = (value << 8) | (nibble(hex[at + 2 * index]) << 4) | nibble(hex[at + 2 * index + 1]);
        }
        return value;
    }

    private static int write(byte[] target, int at, int value, boolean little) {
        for (int i = 0; i < 4; i++) {
            int octet = (little ? value >>> (8 * i) : value >>> (8 * (3 - i))) & 0xFF;
            target[at++] = DIGITS[octet >>> 4];
            target[at++] = DIGITS[octet & 0xF];
        }
        return at;
    }

    private static int nibble(byte digit) {
        return digit <= '9' ? digit - '0' : (digit & ~0x20) - 'A' + 10;
    }
}
