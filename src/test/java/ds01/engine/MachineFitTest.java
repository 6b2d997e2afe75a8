package ds01.engine;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How limits are fitted to a 2-CPU server with 8g of memory, and what the pages say about it. */
class MachineFitTest {

    private static final long G = 1L << 30;
    private final MachineFit fit = new MachineFit(new MachineSize(2, 8 * G));

    @Test
    void aLimitAboveTheServerMeansTheServerAndOneWithinItStays() {
        assertThat(fit.cpus(Optional.of(16.0))).contains(2.0);
        assertThat(fit.cpus(Optional.of(1.5))).contains(1.5);
        assertThat(fit.cpus(Optional.of(2.0))).contains(2.0);
        assertThat(fit.cpus(Optional.empty())).as("no limit stays no limit").isEmpty();
        assertThat(fit.memory(Optional.of(32 * G))).contains(8 * G);
        assertThat(fit.memory(Optional.of(G))).contains(G);
        assertThat(fit.memory(Optional.empty())).isEmpty();
    }

    @Test
    void swapKeepsWhatTheLimitAllowsAboveTheMemory() {
        assertThat(fit.memorySwap(Optional.of(32 * G), Optional.of(32 * G))).as("no swap stays no swap").contains(8 * G);
        assertThat(fit.memorySwap(Optional.of(32 * G), Optional.of(40 * G))).as("8g of swap stays 8g").contains(16 * G);
        assertThat(fit.memorySwap(Optional.of(G), Optional.of(2 * G))).as("within the server: as written").contains(2 * G);
        assertThat(fit.memorySwap(Optional.empty(), Optional.of(2 * G))).contains(2 * G);
        assertThat(fit.memorySwap(Optional.of(32 * G), Optional.empty())).isEmpty();
    }

    @Test
    void thePagesSayWhatAContainerGetsOnlyWhenALimitIsAboveTheServer() {
        assertThat(fit.cpuWords(Optional.of(16.0))).contains("16 CPUs (this server has 2: you get 2)");
        assertThat(fit.cpuWords(Optional.of(2.5))).contains("2.5 CPUs (this server has 2: you get 2)");
        assertThat(fit.cpuWords(Optional.of(2.0))).isEmpty();
        assertThat(fit.cpuWords(Optional.empty())).isEmpty();
        assertThat(fit.memoryWords(Optional.of(32 * G))).contains("32g of memory (this server has 8g: you get 8g)");
        assertThat(fit.memoryWords(Optional.of(8 * G))).isEmpty();
        assertThat(new MachineFit(new MachineSize(1, 25_276_182_528L)).machineWords())
                .isEqualTo("1 CPU and 23.5g of memory");
        assertThat(MachineFit.bytes(64L << 40)).isEqualTo("64t");
        assertThat(MachineFit.bytes(512L << 20)).isEqualTo("512m");
    }

    @Test
    void aServerHasAtLeastOneCpuAndSomeMemory() {
        assertThatThrownBy(() -> new MachineSize(0, G)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MachineSize(2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
