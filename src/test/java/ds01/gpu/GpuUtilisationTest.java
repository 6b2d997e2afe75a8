package ds01.gpu;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Utilisation as the lifecycle sweep reads it, from the stand-in printing real captures. */
class GpuUtilisationTest {

    static final String H100 = "GPU-00000000-0000-0000-0000-000000000000";

    @Test
    void aWholeGpuReadsItsIdleAndLoadedCaptures() {
        CapturedNvidiaSmi h100 = new CapturedNvidiaSmi("h100");
        GpuUtilisation utilisation = new GpuUtilisation(h100);
        assertThat(utilisation.read().of(H100)).isEqualTo(OptionalInt.of(0));
        h100.underLoad(true);
        GpuUtilisation.Reading busy = utilisation.read();
        assertThat(busy.of(H100)).isEqualTo(OptionalInt.of(100));
        assertThat(busy.problem()).isEmpty();
        assertThat(busy.of("GPU-some-other")).as("a GPU not reported is unknown, not idle").isEmpty();
    }

    @Test
    void aGpuInMigModeReportsNoUtilisation() {
        GpuUtilisation.Reading a100 = new GpuUtilisation(new CapturedNvidiaSmi("a100-mig")).read();
        assertThat(a100.problem()).isEmpty();
        assertThat(a100.byGpu()).containsEntry("GPU-513536b6-7d19-9063-b049-1e69664bb298", OptionalInt.empty());
        CapturedNvidiaSmi mixed = new CapturedNvidiaSmi("h100-mig-mixed");
        mixed.underLoad(true);
        assertThat(new GpuUtilisation(mixed).read().of(H100)).as("busy, but MIG: [N/A]").isEmpty();
    }

    @Test
    void aServerWithoutTheDriverSaysWhy() {
        GpuUtilisation.Reading none = new GpuUtilisation(new CapturedNvidiaSmi("none")).read();
        assertThat(none.byGpu()).isEmpty();
        assertThat(none.problem()).hasValueSatisfying(p -> assertThat(p)
                .startsWith("nvidia-smi --query-gpu exited with 9: NVIDIA-SMI has failed"));
    }

    @Test
    void outputItDoesNotUnderstandIsAnErrorNotIdle() {
        assertThatThrownBy(() -> GpuUtilisation.parse("GPU-1, 12 %\n")).hasMessageContaining("not a percentage");
        assertThatThrownBy(() -> GpuUtilisation.parse("index, utilization.gpu [%]\n0, 5\n"))
                .hasMessageContaining("does not understand");
        assertThat(GpuUtilisation.parse("GPU-1, [Not Supported]\nGPU-2, 7\n"))
                .containsEntry("GPU-1", OptionalInt.empty()).containsEntry("GPU-2", OptionalInt.of(7));
    }
}
