package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * An error that escapes a delivery before its message was acknowledged or handed back (here the
 * claim's statement fails, as it would while the database cannot be reached) stops the lease's
 * renewals: the message comes back after its visibility timeout and the task runs. A lease held from
 * the moment the message is received must not outlive the delivery.
 */
class EscapedDeliveryErrorIT extends IntegrationTest {

    @Test
    void aClaimThatFailsLeavesTheMessageToComeBackAndTheTaskRuns() {
        String label = unique("claim-fails");
        String name = "fail_first_claim_" + Long.toHexString(System.nanoTime());
        jdbc.execute("create sequence " + name);
        // Nested IFs: PL/pgSQL does not promise to stop evaluating an AND early, and only this job's claim may
        // take a number from the sequence.
        jdbc.execute("create function " + name + "() returns trigger language plpgsql as $$ begin "
                + "if old.status = 'queued' and new.status = 'processing' then "
                + "if exists (select 1 from job where job_id = new.job_id and parameters->>'message' = '" + label
                + "') then if nextval('" + name + "') = 1 then "
                + "raise exception 'injected failure of the claim'; end if; end if; end if; "
                + "return new; end $$");
        jdbc.execute("create trigger " + name + " before update on task for each row execute function " + name
                + "()");
        try {
            String jobId = submit("hello_world", "{\"n\": 1, \"message\": \"" + label + "\"}");

            assertThat(awaitEnded(jobId, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
            assertThat(jdbc.queryForObject("select last_value from " + name, Long.class))
                    .as("claims of the job's task: the first failed").isGreaterThanOrEqualTo(2);
            assertThat(jdbc.queryForObject("select attempt from task where job_id = ? and stage = 1", Integer.class,
                    jobId)).as("the failed claim rolled back and started no attempt").isEqualTo(1);
        } finally {
            jdbc.execute("drop trigger if exists " + name + " on task");
            jdbc.execute("drop function if exists " + name + "()");
            jdbc.execute("drop sequence if exists " + name);
        }
    }
}
