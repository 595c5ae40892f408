package io.geoetl.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

class SourceVersionTest {

    private static final OffsetDateTime SECOND = OffsetDateTime.parse("2026-11-24T08:55:48Z");

    @Test
    void anEarlierModificationIsOlder() {
        assertThat(version("0x2", SECOND).olderThan(version("0x1", SECOND.plusSeconds(1)))).isTrue();
        assertThat(version("0x1", SECOND.plusSeconds(1)).olderThan(version("0x2", SECOND))).isFalse();
    }

    @Test
    void versionsOfOneSecondAreNeverOlderWhateverTheirETags() {
        // Azurite's ETags are random: a newer upload's can sort before the older one's (seen in the suite).
        assertThat(version("0x1CD2BE5E344A290", SECOND).olderThan(version("0x260B8FD92C77D40", SECOND))).isFalse();
        assertThat(version("0x260B8FD92C77D40", SECOND).olderThan(version("0x1CD2BE5E344A290", SECOND))).isFalse();
    }

    @Test
    void aVersionWithoutAModificationTimeIsNeverOlder() {
        assertThat(version("0x1", null).olderThan(version("0x2", SECOND))).isFalse();
        assertThat(version("0x2", SECOND).olderThan(version("0x1", null))).isFalse();
    }

    private static SourceVersion version(String etag, OffsetDateTime modified) {
        return new SourceVersion("bronze", "a/x.csv", etag, modified);
    }
}
