package ds01.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules {@link ContainersMadeCheck} holds every portal container to catch what they are meant to. */
class ContainersMadeCheckTest {

    private final DockerClient docker = EngineConnection.open(System.getenv().getOrDefault("DS01_DOCKER_HOST",
            EngineConnection.DEFAULT_HOST));
    private final List<String> made = new ArrayList<>();

    @AfterEach
    void remove() throws Exception {
        for (String id : made) {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
        docker.close();
    }

    private List<String> problemsOf(HostConfig host) {
        String id = docker.createContainerCmd("ds01-test/base:latest").withCmd("true").withExposedPorts(ExposedPort.tcp(8888))
                .withLabels(Map.of(AimeLabels.MANAGED, "true", AimeLabels.USER, "ds01alice",
                        ContainersMadeCheck.DELIBERATELY_UNSAFE, "true"))
                .withHostConfig(host).exec().getId();
        made.add(id);
        return ContainersMadeCheck.problems(docker.inspectContainerCmd(id).exec());
    }

    @Test
    void whatThePortalMayMakePassesAndEachUnsafeSettingIsNamed() {
        Bind workspace = new Bind("/home/ds01alice/workspace/thesis", new Volume("/workspace"), AccessMode.rw);
        assertThat(problemsOf(HostConfig.newHostConfig().withBinds(workspace,
                new Bind("/usr/share/doc", new Volume("/site/doc"), AccessMode.ro)).withNetworkMode("bridge")
                .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(8888)))))
                .as("the workspace, a configured site mount, a loopback port").isEmpty();

        assertThat(problemsOf(HostConfig.newHostConfig().withBinds(workspace).withPrivileged(true)))
                .containsExactly("privileged");
        assertThat(problemsOf(HostConfig.newHostConfig().withNetworkMode("host").withPidMode("host")))
                .containsExactly("network namespace of the host", "pid namespace of the host");
        assertThat(problemsOf(HostConfig.newHostConfig().withCapAdd(com.github.dockerjava.api.model.Capability.SYS_ADMIN)))
                .containsExactly("capabilities added: [SYS_ADMIN]");
        assertThat(problemsOf(HostConfig.newHostConfig().withPortBindings(
                new PortBinding(Ports.Binding.bindPort(18888), ExposedPort.tcp(8888)))))
                .singleElement().asString().startsWith("port 8888/tcp published on");
        assertThat(problemsOf(HostConfig.newHostConfig().withBinds(
                new Bind("/home/ds01bob/workspace", new Volume("/workspace"), AccessMode.rw))))
                .as("another user's workspace").singleElement().asString().contains("/home/ds01bob/workspace");
        assertThat(problemsOf(HostConfig.newHostConfig().withBinds(
                new Bind("/var/run/docker.sock", new Volume("/var/run/docker.sock"), AccessMode.rw))))
                .as("the engine's socket").singleElement().asString().contains("is neither ds01alice's workspace");
        assertThat(problemsOf(HostConfig.newHostConfig().withBinds(
                new Bind("/usr/share/doc", new Volume("/site/doc"), AccessMode.rw))))
                .as("a site mount made writable").hasSize(1);
    }
}
