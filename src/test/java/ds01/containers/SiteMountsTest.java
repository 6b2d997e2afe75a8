package ds01.containers;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an admin may write in ds01.containers.mounts and .devices, and the messages for what they may not. */
class SiteMountsTest {

    @Test
    void mountsAndDevicesInTheirWrittenForms() {
        assertThat(SiteMounts.mount("/srv/datasets:/datasets:ro")).satisfies(m -> {
            assertThat(m.host()).isEqualTo(Path.of("/srv/datasets"));
            assertThat(m.inside()).isEqualTo("/datasets");
            assertThat(m.readOnly()).isTrue();
        });
        assertThat(SiteMounts.mount("/srv/scratch:/scratch").readOnly()).isFalse();
        assertThat(SiteMounts.device("/dev/fuse")).isEqualTo("/dev/fuse");
        assertThat(SiteMounts.device("/dev/infiniband/uverbs0:/dev/infiniband/uverbs0"))
                .isEqualTo("/dev/infiniband/uverbs0:/dev/infiniband/uverbs0");
    }

    @Test
    void badEntriesAreRefusedWithTheEntryAndTheForm() {
        for (String bad : new String[] {"relative:/x", "/srv/../etc:/x", "/srv:/x:rx", "/srv", "/srv:/x:ro:more",
                "/srv:relative"}) {
            assertThatThrownBy(() -> SiteMounts.mount(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ds01.containers.mounts").hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> SiteMounts.mount("/srv/home:/workspace")).hasMessageContaining("would hide /workspace");
        for (String bad : new String[] {"/etc/passwd", "/dev/../etc/shadow", "/dev/a:/dev/b:/dev/c"}) {
            assertThatThrownBy(() -> SiteMounts.device(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ds01.containers.devices");
        }
    }
}
