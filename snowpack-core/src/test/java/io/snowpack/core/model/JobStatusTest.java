package io.snowpack.core.model;

import static io.snowpack.core.model.JobStatus.CANCELLED;
import static io.snowpack.core.model.JobStatus.COMPLETED;
import static io.snowpack.core.model.JobStatus.FAILED;
import static io.snowpack.core.model.JobStatus.PENDING;
import static io.snowpack.core.model.JobStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.IllegalJobTransitionException;
import io.snowpack.core.InvalidParameterException;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStatusTest {

    @Test
    void onlyCompletedFailedAndCancelledAreTerminal() {
        assertThat(EnumSet.allOf(JobStatus.class)).filteredOn(JobStatus::isTerminal)
                .containsExactlyInAnyOrder(COMPLETED, FAILED, CANCELLED);
    }

    @Test
    void exactlyTheDocumentedTransitionsAreLegal() {
        Set<String> legal = Set.of("pending->running", "pending->cancelled", "pending->failed",
                "running->completed", "running->failed", "running->cancelled", "running->pending");
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                String edge = from.wireName() + "->" + to.wireName();
                assertThat(from.canTransitionTo(to)).as(edge).isEqualTo(legal.contains(edge));
                if (!legal.contains(edge)) {
                    assertThatThrownBy(() -> from.checkTransitionTo(to))
                            .isInstanceOf(IllegalJobTransitionException.class).hasMessageContaining(edge.replace("->", " -> "));
                }
            }
        }
    }

    @Test
    void terminalStatesNeverChange() {
        for (JobStatus terminal : EnumSet.of(COMPLETED, FAILED, CANCELLED)) {
            assertThat(EnumSet.allOf(JobStatus.class)).noneMatch(terminal::canTransitionTo);
        }
        assertThat(PENDING.canTransitionTo(COMPLETED)).isFalse();
        assertThat(RUNNING.canTransitionTo(RUNNING)).isFalse();
    }

    @Test
    void parseUsesWireNamesAndNamesTheValidOnes() {
        assertThat(JobStatus.parse("running")).isEqualTo(RUNNING);
        assertThatThrownBy(() -> JobStatus.parse("RUNNING"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("'RUNNING'")
                .hasMessageContaining("pending, running, completed, failed, cancelled");
    }
}
