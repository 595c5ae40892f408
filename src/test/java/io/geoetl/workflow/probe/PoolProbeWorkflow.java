package io.geoetl.workflow.probe;

import io.geoetl.workflow.TaskClass;
import org.springframework.stereotype.Component;

/**
 * The heavy twin of {@link GateProbeWorkflow}: its tasks wait at their gate on the heavy pool, so a
 * test can hold every heavy slot for as long as it needs and count how many were ever taken at once.
 */
@Component
public class PoolProbeWorkflow extends GateProbeWorkflow {

    public PoolProbeWorkflow(ProbeGates gates) {
        super(gates);
    }

    @Override
    public String jobType() {
        return "pool_probe";
    }

    @Override
    public String description() {
        return "test only: n heavy tasks that wait until the test opens their gate";
    }

    @Override
    public String taskType() {
        return "pool_probe_wait";
    }

    @Override
    public TaskClass taskClass() {
        return TaskClass.HEAVY;
    }
}
