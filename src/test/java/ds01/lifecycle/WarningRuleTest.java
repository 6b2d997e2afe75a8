package ds01.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** When the owner is warned and when the stop comes: each level once, and never a stop before a warning. */
class WarningRuleTest {

    static final List<Integer> LEVELS = List.of(80, 95);

    @Test
    void eachLevelOnceTheHighestReached() {
        assertThat(LifecycleSweep.dueWarning(LEVELS, 0.79, (short) 0)).isEmpty();
        assertThat(LifecycleSweep.dueWarning(LEVELS, 0.80, (short) 0)).isEqualTo(OptionalInt.of(80));
        assertThat(LifecycleSweep.dueWarning(LEVELS, 0.90, (short) 80)).isEmpty();
        assertThat(LifecycleSweep.dueWarning(LEVELS, 0.96, (short) 0)).as("one message, not two").isEqualTo(OptionalInt.of(95));
        assertThat(LifecycleSweep.dueWarning(LEVELS, 0.99, (short) 95)).isEmpty();
    }

    @Test
    void pastTheLimitUnwarnedTheLastWarningGoesFirstAndTheStopWaits() {
        // e.g. the portal was down through both warnings, or the timeout was just cut under high demand
        assertThat(LifecycleSweep.stopDue(LEVELS, 1.4, (short) 0)).isFalse();
        assertThat(LifecycleSweep.dueWarning(LEVELS, 1.4, (short) 0)).isEqualTo(OptionalInt.of(95));
        assertThat(LifecycleSweep.stopDue(LEVELS, 1.4, (short) 95)).isTrue();
        assertThat(LifecycleSweep.stopDue(LEVELS, 1.4, (short) 80)).as("warned once is warned").isTrue();
        assertThat(LifecycleSweep.stopDue(LEVELS, 0.99, (short) 95)).isFalse();
        assertThat(LifecycleSweep.stopDue(List.of(), 1.0, (short) 0)).as("a site without warnings").isTrue();
    }
}
