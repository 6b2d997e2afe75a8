package ds01.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Statistics;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link ContainerEngine} on the Docker engine, through docker-java. What the portal makes is never privileged,
 * never on the host network, gains no capabilities, runs with {@code no-new-privileges} and mounts only the
 * workspace, the configured data and models directories and the site-wide mounts an admin chose.
 */
@ApplicationScoped
public class DockerContainerEngine implements ContainerEngine {

    private static final String WORKDIR = "/workspace";

    private final DockerClient docker;
    private volatile MachineSize machineSize;

    public DockerContainerEngine(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public MachineSize machineSize() {
        MachineSize known = machineSize;
        if (known == null) {
            // the client's response timeout (ds01.docker.response-timeout) bounds the wait
            known = call("say this server's CPUs and memory", () -> {
                com.github.dockerjava.api.model.Info info = docker.infoCmd().exec();
                if (info.getNCPU() == null || info.getMemTotal() == null) {
                    throw new EngineException("The Docker engine's info names no CPU count or memory (NCPU "
                            + info.getNCPU() + ", MemTotal " + info.getMemTotal() + ").", null);
                }
                return new MachineSize(info.getNCPU(), info.getMemTotal());
            });
            machineSize = known;
        }
        return known;
    }

    @Override
    public String create(ContainerSpec spec) {
        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(spec.workspace().toString(), new Volume(WORKDIR), AccessMode.rw));
        spec.dataDirectory().ifPresent(d -> binds.add(new Bind(d.toString(), new Volume("/data"), AccessMode.rw)));
        spec.modelsDirectory().ifPresent(d -> binds.add(new Bind(d.toString(), new Volume("/models"), AccessMode.rw)));
        spec.extraMounts().forEach(m -> binds.add(new Bind(m.host().toString(), new Volume(m.inside()),
                m.readOnly() ? AccessMode.ro : AccessMode.rw)));
        HostConfig host = HostConfig.newHostConfig()
                .withBinds(binds)
                .withPrivileged(false)
                .withNetworkMode("bridge")
                .withSecurityOpts(List.of("no-new-privileges"))
                // Jupyter's port on loopback only, at a port the engine picks: only the portal's proxy goes there
                .withPortBindings(new com.github.dockerjava.api.model.PortBinding(
                        com.github.dockerjava.api.model.Ports.Binding.bindIp("127.0.0.1"),
                        com.github.dockerjava.api.model.ExposedPort.tcp(ContainerSpec.JUPYTER_PORT)));
        if (!spec.devices().isEmpty()) {
            host.withDevices(spec.devices().stream().map(d -> com.github.dockerjava.api.model.Device.parse(
                    d.contains(":") ? d + ":rwm" : d + ":" + d + ":rwm")).toList());
        }
        spec.cpus().ifPresent(c -> host.withNanoCPUs(Math.round(c * 1_000_000_000d)));
        spec.memoryBytes().ifPresent(host::withMemory);
        spec.memorySwapBytes().ifPresent(host::withMemorySwap);
        spec.shmBytes().ifPresent(host::withShmSize);
        spec.pidsLimit().ifPresent(host::withPidsLimit);
        spec.cgroupParent().ifPresent(host::withCgroupParent);
        if (!spec.gpus().isEmpty()) {
            host.withDeviceRequests(List.of(new DeviceRequest().withDriver("nvidia")
                    .withDeviceIds(List.copyOf(spec.gpus().values())).withCapabilities(List.of(List.of("gpu")))));
        }
        return call("create container " + spec.name(), () -> docker.createContainerCmd(spec.image())
                .withName(spec.name())
                .withHostName(spec.project().replace('_', '-').replace('.', '-'))
                .withUser(spec.uid() + ":" + spec.gid())
                .withWorkingDir(WORKDIR)
                .withLabels(AimeLabels.of(spec, spec.image(), OffsetDateTime.now().toString()))
                // as AIME's mlc does: the image's shell with a terminal keeps the container up for work
                .withTty(true)
                .withStdinOpen(true)
                .withExposedPorts(com.github.dockerjava.api.model.ExposedPort.tcp(ContainerSpec.JUPYTER_PORT))
                .withHostConfig(host)
                .exec().getId());
    }

    @Override
    public void start(String id) {
        call("start container " + id, () -> {
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException alreadyRunning) {
                // starting a running container leaves it running, which is what was asked
            }
            return null;
        });
    }

    @Override
    public void stop(String id, Duration grace) {
        call("stop container " + id, () -> {
            try {
                docker.stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
            } catch (NotModifiedException alreadyStopped) {
                // stopped already: nothing to do
            }
            return null;
        });
    }

    @Override
    public void remove(String id) {
        call("remove container " + id, () -> {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
            } catch (NotFoundException gone) {
                // gone already: nothing to do
            }
            return null;
        });
    }

    @Override
    public Optional<EngineContainer> find(String idOrName) {
        return call("inspect container " + idOrName, () -> {
            try {
                InspectContainerResponse c = docker.inspectContainerCmd(idOrName).exec();
                String started = c.getState().getStartedAt();
                return Optional.of(new EngineContainer(c.getId(), c.getName().replaceFirst("^/", ""),
                        c.getConfig().getImage(), c.getState().getStatus(),
                        c.getConfig().getLabels() == null ? Map.of() : Map.copyOf(c.getConfig().getLabels()),
                        started == null || started.startsWith("0001-") ? Optional.empty()
                                : Optional.of(Instant.parse(started))));
            } catch (NotFoundException gone) {
                return Optional.empty();
            }
        });
    }

    @Override
    public List<EngineContainer> managed() {
        return call("list containers", () -> {
            Map<String, EngineContainer> found = new LinkedHashMap<>();
            for (String label : List.of(AimeLabels.MANAGED, AimeLabels.AIME)) {
                for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(label)).exec()) {
                    found.putIfAbsent(c.getId(), new EngineContainer(c.getId(),
                            c.getNames() == null || c.getNames().length == 0 ? c.getId()
                                    : c.getNames()[0].replaceFirst("^/", ""),
                            c.getImage(), c.getState(), c.getLabels() == null ? Map.of() : Map.copyOf(c.getLabels()),
                            Optional.empty()));
                }
            }
            return List.copyOf(found.values());
        });
    }

    @Override
    public boolean imageExists(String reference) {
        return call("inspect image " + reference, () -> {
            try {
                docker.inspectImageCmd(reference).exec();
                return true;
            } catch (NotFoundException missing) {
                return false;
            }
        });
    }

    @Override
    public Optional<Long> imageSize(String reference) {
        return call("inspect image " + reference, () -> {
            try {
                return Optional.ofNullable(docker.inspectImageCmd(reference).exec().getSize());
            } catch (NotFoundException missing) {
                return Optional.<Long>empty();
            }
        });
    }

    @Override
    public void removeImage(String reference) {
        call("remove image " + reference, () -> {
            try {
                docker.removeImageCmd(reference).withForce(false).exec();
            } catch (NotFoundException gone) {
                // gone already
            }
            return null;
        });
    }

    @Override
    public List<String> imageTags(String prefix) {
        return call("list images", () -> docker.listImagesCmd().exec().stream()
                .flatMap(i -> i.getRepoTags() == null ? java.util.stream.Stream.<String>empty()
                        : java.util.Arrays.stream(i.getRepoTags()))
                .filter(tag -> tag.startsWith(prefix)).sorted().toList());
    }

    @Override
    public Optional<Usage> usage(String id) {
        return call("read the usage of container " + id, () -> {
            java.util.concurrent.atomic.AtomicReference<Statistics> seen = new java.util.concurrent.atomic.AtomicReference<>();
            try (ResultCallback.Adapter<Statistics> callback = docker.statsCmd(id).withNoStream(true)
                    .exec(new ResultCallback.Adapter<>() {
                        @Override
                        public void onNext(Statistics statistics) {
                            seen.set(statistics);
                        }
                    })) {
                callback.awaitCompletion(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.<Usage>empty();
            }
            Statistics stats = seen.get();
            if (stats == null || stats.getCpuStats() == null || stats.getCpuStats().getSystemCpuUsage() == null
                    || stats.getMemoryStats() == null || stats.getMemoryStats().getUsage() == null) {
                return Optional.<Usage>empty();
            }
            return Optional.of(new Usage(cpuPercent(stats), stats.getMemoryStats().getUsage(),
                    Optional.ofNullable(stats.getMemoryStats().getLimit()).orElse(0L)));
        });
    }

    /** As {@code docker stats} computes it: the container's share of the host's CPU time since the last sample. */
    private static double cpuPercent(Statistics stats) {
        CpuStatsConfig now = stats.getCpuStats();
        CpuStatsConfig before = stats.getPreCpuStats();
        if (before == null || before.getSystemCpuUsage() == null || now.getCpuUsage() == null
                || before.getCpuUsage() == null) {
            return 0;
        }
        double container = now.getCpuUsage().getTotalUsage() - before.getCpuUsage().getTotalUsage();
        double system = now.getSystemCpuUsage() - before.getSystemCpuUsage();
        long cpus = Optional.ofNullable(now.getOnlineCpus()).orElse(1L);
        return system > 0 && container > 0 ? container / system * cpus * 100.0 : 0;
    }

    @Override
    public String logTail(String id, int lines) {
        return call("read the output of container " + id, () -> {
            StringBuilder out = new StringBuilder();
            try (ResultCallback.Adapter<Frame> callback = docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                    .withTail(lines).exec(new ResultCallback.Adapter<>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    })) {
                callback.awaitCompletion(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return out.toString();
        });
    }

    @Override
    public Closeable followLog(String id, int lines, Consumer<String> sink) {
        return call("follow the output of container " + id, () -> docker.logContainerCmd(id).withStdOut(true)
                .withStdErr(true).withTail(lines).withFollowStream(true).exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        sink.accept(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }));
    }

    /** One engine call: its refusals and an unreachable engine become an {@link EngineException} that says which. */
    private static <T> T call(String what, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DockerException e) {
            throw new EngineException("The Docker engine could not " + what + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            if (e instanceof EngineException) {
                throw e;
            }
            throw new EngineException("The Docker engine did not answer when asked to " + what + " (" + e.getMessage()
                    + "). See the status page.", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        String line = message.lines().findFirst().orElse(message).strip();
        // docker-java prefixes the engine's JSON answer with "Status 409: "; the engine's words are what matter
        return line.replaceFirst("^Status \\d+: ", "").replaceFirst("^\\{\"message\":\"(.*)\"}$", "$1");
    }

    @Override
    public Optional<Integer> publishedPort(String id, int containerPort) {
        return call("inspect container " + id, () -> {
            try {
                var ports = docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts();
                var bindings = ports == null ? null : ports.getBindings()
                        .get(com.github.dockerjava.api.model.ExposedPort.tcp(containerPort));
                if (bindings == null) {
                    return Optional.<Integer>empty();
                }
                return java.util.Arrays.stream(bindings).filter(b -> "127.0.0.1".equals(b.getHostIp()))
                        .map(b -> Integer.parseInt(b.getHostPortSpec())).findFirst();
            } catch (NotFoundException gone) {
                return Optional.<Integer>empty();
            }
        });
    }

    @Override
    public ExecResult exec(String id, int uid, int gid, List<String> command, Map<String, String> environment) {
        return call("run " + command.get(0) + " in container " + id, () -> {
            String exec = execCreate(id, uid, gid, command, environment, true);
            StringBuilder out = new StringBuilder();
            try (ResultCallback.Adapter<Frame> callback = docker.execStartCmd(exec).exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            })) {
                if (!callback.awaitCompletion(60, TimeUnit.SECONDS)) {
                    throw new EngineException(command.get(0) + " in container " + id + " did not end within a minute.", null);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("Interrupted while running " + command.get(0) + " in container " + id + ".", e);
            }
            Long exit = docker.inspectExecCmd(exec).exec().getExitCodeLong();
            return new ExecResult(exit == null ? -1 : exit.intValue(), out.toString());
        });
    }

    @Override
    public void execDetached(String id, int uid, int gid, List<String> command, Map<String, String> environment) {
        call("start " + command.get(0) + " in container " + id, () -> {
            try (ResultCallback.Adapter<Frame> started = docker.execStartCmd(execCreate(id, uid, gid, command,
                    environment, false)).withDetach(true).exec(new ResultCallback.Adapter<>())) {
                started.awaitCompletion(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("Interrupted while starting " + command.get(0) + " in container " + id + ".", e);
            }
            return null;
        });
    }

    private String execCreate(String id, int uid, int gid, List<String> command, Map<String, String> environment,
            boolean attach) {
        return docker.execCreateCmd(id).withUser(uid + ":" + gid).withWorkingDir(WORKDIR).withCmd(command.toArray(String[]::new))
                .withEnv(environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withAttachStdout(attach).withAttachStderr(attach).exec().getId();
    }

    @Override
    public Optional<Integer> pid(String id) {
        return call("inspect container " + id, () -> {
            try {
                var state = docker.inspectContainerCmd(id).exec().getState();
                Long pid = state.getPidLong();
                return Boolean.TRUE.equals(state.getRunning()) && pid != null && pid > 0
                        ? Optional.of(pid.intValue()) : Optional.<Integer>empty();
            } catch (NotFoundException gone) {
                return Optional.<Integer>empty();
            }
        });
    }
}
