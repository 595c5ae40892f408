package io.geoetl.stac;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void oneRangeOfBytesIsServedAsAskedAndClippedToTheEnd() {
        assertThat(ByteRange.of("bytes=0-16383", 100_000)).isEqualTo(new ByteRange(0, 16383, true, false));
        assertThat(ByteRange.of("bytes=99990-200000", 100_000)).isEqualTo(new ByteRange(99990, 99999, true, false));
        assertThat(ByteRange.of("bytes=500-", 1000)).isEqualTo(new ByteRange(500, 999, true, false));
        assertThat(ByteRange.of("BYTES= 7-7", 1000)).isEqualTo(new ByteRange(7, 7, true, false));
        assertThat(ByteRange.of("bytes=5-9", 1000).length()).isEqualTo(5);
    }

    @Test
    void aSuffixRangeIsTheLastBytes() {
        assertThat(ByteRange.of("bytes=-100", 1000)).isEqualTo(new ByteRange(900, 999, true, false));
        assertThat(ByteRange.of("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 999, true, false));
    }

    @Test
    void aRangePastTheEndIsUnsatisfiable() {
        assertThat(ByteRange.of("bytes=1000-", 1000).unsatisfiable()).isTrue();
        assertThat(ByteRange.of("bytes=1000-2000", 1000).unsatisfiable()).isTrue();
        assertThat(ByteRange.of("bytes=-0", 1000).unsatisfiable()).isTrue();
        assertThat(ByteRange.of("bytes=0-", 0).unsatisfiable()).isTrue();
    }

    @Test
    void headersThatAreNotOneByteRangeGetTheWholeBlob() {
        ByteRange whole = new ByteRange(0, 999, false, false);
        assertThat(ByteRange.of(null, 1000)).isEqualTo(whole);
        assertThat(ByteRange.of("", 1000)).isEqualTo(whole);
        assertThat(ByteRange.of("items=0-5", 1000)).isEqualTo(whole);
        assertThat(ByteRange.of("bytes=0-5,10-20", 1000)).isEqualTo(whole);
        assertThat(ByteRange.of("bytes=9-3", 1000)).isEqualTo(whole);
        assertThat(ByteRange.of("bytes=-", 1000)).isEqualTo(whole);
        assertThat(ByteRange.of("bytes=a-b", 1000)).isEqualTo(whole);
        assertThat(ByteRange.of("bytes=99999999999999999999-", 1000)).isEqualTo(whole);
        assertThat(ByteRange.of("bytes=0x10-", 1000)).isEqualTo(whole);
    }
}
