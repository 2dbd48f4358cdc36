package dev.lethe.task;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.lethe.task.TaskStatus.FAILURE;
import static dev.lethe.task.TaskStatus.PENDING;
import static dev.lethe.task.TaskStatus.REVOKED;
import static dev.lethe.task.TaskStatus.STAGING;
import static dev.lethe.task.TaskStatus.STARTED;
import static dev.lethe.task.TaskStatus.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state machine, checked for every ordered pair of states against the contract's arrows. */
class TaskStatusTest {

    private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED = Map.of(
            PENDING, EnumSet.of(STAGING, REVOKED, FAILURE),
            STAGING, EnumSet.of(STARTED, REVOKED, FAILURE),
            STARTED, EnumSet.of(SUCCESS, FAILURE),
            SUCCESS, EnumSet.noneOf(TaskStatus.class),
            FAILURE, EnumSet.noneOf(TaskStatus.class),
            REVOKED, EnumSet.noneOf(TaskStatus.class));

    @Test
    void can_move_matches_the_contract_for_every_pair() {
        for (TaskStatus from : TaskStatus.values()) {
            for (TaskStatus to : TaskStatus.values()) {
                assertThat(TaskStatus.canMove(from, to)).as(from + " -> " + to).isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void require_move_throws_the_dedicated_exception_exactly_for_illegal_pairs() {
        for (TaskStatus from : TaskStatus.values()) {
            for (TaskStatus to : TaskStatus.values()) {
                if (ALLOWED.get(from).contains(to)) {
                    assertThatCode(() -> TaskStatus.requireMove(from, to)).doesNotThrowAnyException();
                } else {
                    assertThatThrownBy(() -> TaskStatus.requireMove(from, to))
                            .isInstanceOf(IllegalTransitionException.class).hasMessageContaining(from + " -> " + to);
                }
            }
        }
    }

    @Test
    void only_pending_and_staging_are_cancellable_and_only_finished_states_terminal() {
        assertThat(EnumSet.allOf(TaskStatus.class).stream().filter(TaskStatus::isCancellable)).containsExactly(PENDING, STAGING);
        assertThat(EnumSet.allOf(TaskStatus.class).stream().filter(TaskStatus::isTerminal))
                .containsExactly(SUCCESS, FAILURE, REVOKED);
        assertThat(EnumSet.allOf(TaskStatus.class).stream().filter(TaskStatus::isActive))
                .containsExactly(PENDING, STAGING, STARTED);
    }

    @Test
    void the_sql_guard_of_each_move_lists_exactly_the_states_that_may_make_it() {
        assertThat(StatusSql.movableTo(FAILURE)).isEqualTo("status IN ('PENDING', 'STAGING', 'STARTED')");
        assertThat(StatusSql.movableTo(REVOKED)).isEqualTo("status IN ('PENDING', 'STAGING')");
        assertThat(StatusSql.movableTo(STARTED)).isEqualTo("status IN ('STAGING')");
        assertThat(StatusSql.movableTo(SUCCESS)).isEqualTo("status IN ('STARTED')");
        assertThat(StatusSql.ACTIVE).isEqualTo("status IN ('PENDING', 'STAGING', 'STARTED')");
        assertThatThrownBy(() -> StatusSql.movableTo(PENDING)).isInstanceOf(IllegalArgumentException.class);
    }
}
