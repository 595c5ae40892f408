package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class MessagesTest {

    private static final String JOB = "ab".repeat(32);
    private static final String TASK = JOB.substring(0, 16) + "-s1-hello_0";

    @Test
    void roundTripsTaskAndJobMessages() {
        Messages.TaskMessage task = Messages.parseTask(new Messages.TaskMessage(TASK, JOB, "heavy").toJson());
        Messages.JobMessage job = Messages.parseJob(new Messages.JobMessage(JOB, 2, 3).toJson());

        assertThat(task).isEqualTo(new Messages.TaskMessage(TASK, JOB, "heavy"));
        assertThat(job).isEqualTo(new Messages.JobMessage(JOB, 2, 3));
    }

    @Test
    void rejectsBodiesThatAreNotJson() {
        assertThatThrownBy(() -> Messages.parseTask("hello there")).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> Messages.parseTask("")).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void recoversATaskIdFromAWrongShape() {
        MalformedMessageException error = catchThrowableOfType(
                () -> Messages.parseTask("{\"task\": \"" + TASK + "\"}"), MalformedMessageException.class);

        assertThat(error.recoveredId()).isEqualTo(TASK);
    }

    @Test
    void recoversAnIdFromBrokenJson() {
        MalformedMessageException error = catchThrowableOfType(
                () -> Messages.parseJob("{\"job_id\": \"" + JOB + "\", "), MalformedMessageException.class);

        assertThat(error.recoveredId()).isEqualTo(JOB);
    }

    @Test
    void rejectsATaskWhoseIdDoesNotBelongToItsJob() {
        assertThatThrownBy(() -> Messages.parseTask("{\"task_id\": \"" + TASK + "\", \"job_id\": \""
                + "cd".repeat(32) + "\"}")).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void rejectsJobMessagesWithoutAPositiveStage() {
        assertThatThrownBy(() -> Messages.parseJob("{\"job_id\": \"" + JOB + "\", \"generation\": 1, "
                + "\"stage\": 0}")).hasMessageContaining("'stage'");
    }

    @Test
    void messagesCarryIdsOnlySoEveryBodyStaysFarBelowTheQueueLimit() {
        String longestTask = JOB.substring(0, 16) + "-s999-" + "k".repeat(64);

        String body = new Messages.TaskMessage(longestTask, JOB, "heavy").toJson();

        assertThat(body.length()).isLessThan(300);
        assertThatThrownBy(() -> Messages.bounded("x".repeat(Messages.MAX_BODY_CHARS + 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reference");
    }
}
