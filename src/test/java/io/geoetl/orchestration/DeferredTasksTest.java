package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import io.geoetl.config.EngineProperties;
import org.junit.jupiter.api.Test;

/** The delay of a deferred heavy message: whole seconds, growing with the deliveries, capped, spread. */
class DeferredTasksTest {

    @Test
    void theDelayGrowsWithTheDeliveriesInWholeSecondsUpToFiveSeconds() {
        DeferredTasks deferred = deferredTasks(Duration.ofMinutes(2));
        assertThat(delays(deferred, 1)).containsExactly(1L);
        assertThat(delays(deferred, 0)).containsExactly(1L);
        assertThat(delays(deferred, 4)).containsExactly(2L, 3L, 4L);
        assertThat(delays(deferred, 1000)).containsExactly(3L, 4L, 5L);
    }

    @Test
    void aShortLostMessageTimeCapsTheDelayAtASixthOfItButNeverBelowOneSecond() {
        assertThat(delays(deferredTasks(Duration.ofSeconds(12)), 1000)).containsExactly(1L, 2L);
        assertThat(delays(deferredTasks(Duration.ofSeconds(6)), 1000)).containsExactly(1L);
        assertThat(delays(deferredTasks(Duration.ofSeconds(3)), 1000)).containsExactly(1L);
    }

    /** Every delay (in seconds) that 2,000 draws gave. */
    private static Set<Long> delays(DeferredTasks deferred, long deliveries) {
        return IntStream.range(0, 2000).mapToObj(i -> deferred.delay(deliveries).toSeconds())
                .collect(TreeSet::new, Set::add, Set::addAll);
    }

    /** Only the delay is exercised: it needs neither the database nor the metrics. */
    private static DeferredTasks deferredTasks(Duration lostMessageAfter) {
        return new DeferredTasks(null, new EngineProperties(256, 1000, 16, 2, Duration.ofHours(2),
                Duration.ofSeconds(2), Duration.ofSeconds(10), lostMessageAfter, Duration.ofSeconds(5)), null);
    }
}
