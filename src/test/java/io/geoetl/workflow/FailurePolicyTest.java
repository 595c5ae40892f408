package io.geoetl.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailurePolicyTest {

    @Test
    void failFastFailsOnAnyFailure() {
        assertThat(FailurePolicy.FAIL_FAST.failsStage(100, 1)).isTrue();
        assertThat(FailurePolicy.FAIL_FAST.failsStage(100, 0)).isFalse();
    }

    @Test
    void continueFailsOnlyAboveItsRatio() {
        FailurePolicy quarter = new FailurePolicy(false, 0.25);

        assertThat(quarter.failsStage(4, 1)).isFalse();
        assertThat(quarter.failsStage(4, 2)).isTrue();
        assertThat(FailurePolicy.CONTINUE.failsStage(4, 4)).isFalse();
    }
}
