package io.geoetl.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.geoetl.IntegrationTest;
import io.geoetl.error.PermanentTaskException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Claims on one target from concurrent transactions: serialised, and decided by version, not by order. */
class OutputRegistryIT extends IntegrationTest {

    @Autowired
    OutputRegistry registry;

    @Autowired
    TransactionTemplate transaction;

    private final OutputTarget target = OutputTarget.item("registry-it", UUID.randomUUID().toString());
    private final SourceVersion older = version("0x1", OffsetDateTime.parse("2026-01-01T00:00:00Z"));
    private final SourceVersion newer = version("0x2", OffsetDateTime.parse("2026-01-02T00:00:00Z"));

    @Test
    void aNewerVersionWaitingForAnOlderOnesClaimTakesTheTargetAfterIt() throws Exception {
        Outcome outcome = race(older, newer);

        assertThat(outcome.second()).isNull();
        assertThat(registry.owner(target).orElseThrow().etag()).isEqualTo("0x2");
    }

    @Test
    void anOlderVersionWaitingForANewerOnesClaimIsRefusedAndChangesNothing() throws Exception {
        Outcome outcome = race(newer, older);

        assertThat(outcome.second()).isInstanceOf(PermanentTaskException.class);
        assertThat(((PermanentTaskException) outcome.second()).code()).isEqualTo("superseded_by_newer_version");
        assertThat(registry.owner(target).orElseThrow().etag()).isEqualTo("0x2");
    }

    @Test
    void anotherSourceIsRefusedUnlessItOverwrites() {
        transaction.executeWithoutResult(status -> registry.claim(target, older, "job-a", false));
        SourceVersion elsewhere = new SourceVersion("bronze", "teamB/x.tif", "0x9", newer.modified());

        assertThat(registry.refusal(target, elsewhere, false)).get()
                .extracting(PermanentTaskException::code).isEqualTo("target_owned_by_other_source");
        assertThat(registry.refusal(target, elsewhere, true)).isEmpty();
    }

    /** What the second claim threw (null when it succeeded). */
    private record Outcome(Throwable second) {
    }

    /**
     * The first claim holds its transaction open until the second one is seen waiting for the target's
     * lock in PostgreSQL; then the first commits and the second decides.
     */
    private Outcome race(SourceVersion first, SourceVersion second) throws Exception {
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
            registry.claim(target, first, "job-first", false);
            claimed.countDown();
            try {
                assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(claimed.await(60, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                transaction.executeWithoutResult(status -> registry.claim(target, second, "job-second", false));
                return null;
            } catch (RuntimeException refused) {
                return refused;
            }
        });
        // The registry's lock key is the 64-bit hash of "kind:name"; pg_locks shows it as two 32-bit halves.
        await(() -> jdbc.queryForObject("select count(*) from pg_locks where locktype = 'advisory' and not granted "
                + "and ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0)", Integer.class,
                target.kind() + ":" + target.name()) > 0, Duration.ofSeconds(60),
                "the second claim to wait for the first");
        release.countDown();
        holder.get(60, TimeUnit.SECONDS);
        return new Outcome(waiter.get(60, TimeUnit.SECONDS));
    }

    private static SourceVersion version(String etag, OffsetDateTime modified) {
        return new SourceVersion("bronze", "registry/x.tif", etag, modified);
    }
}
