package ds01.limits;

import ds01.engine.ContainerEngine;
import ds01.engine.EngineException;
import ds01.engine.MachineFit;
import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the limits pages say about this server's size: its CPUs and memory, and each limit above them with what a
 * container gets instead ("max_cpus: 16 CPUs (this server has 2: you get 2)"). {@code unknown} says why the size
 * is not known when the engine does not answer.
 */
@TemplateData
public record MachineNotes(String size, List<String> notes, String unknown) {

    public static MachineNotes of(ContainerEngine engine, Function<MachineFit, List<String>> notes) {
        MachineFit fit;
        try {
            fit = new MachineFit(engine.machineSize());
        } catch (EngineException e) {
            return new MachineNotes(null, List.of(), e.getMessage());
        }
        return new MachineNotes(fit.machineWords(), List.copyOf(notes.apply(fit)), null);
    }

    /** One user's limits above the server. */
    public static List<String> forUser(MachineFit fit, EffectiveLimits limits) {
        List<String> notes = new ArrayList<>();
        fit.cpuWords(limits.maxCpus().value().bound()).ifPresent(w -> notes.add("max_cpus: " + w));
        fit.memoryWords(limits.memory().value().bound()).ifPresent(w -> notes.add("memory: " + w));
        return notes;
    }

    /** The file's defaults and groups whose limits are above the server. */
    public static List<String> forFile(MachineFit fit, LimitsFile file) {
        List<String> notes = new ArrayList<>();
        layer(fit, "defaults", file.defaults(), notes);
        file.groups().values().forEach(g -> layer(fit, "group " + g.name(), g.limits(), notes));
        return notes;
    }

    private static void layer(MachineFit fit, String where, LimitLayer layer, List<String> notes) {
        layer.get(LimitKey.MAX_CPUS).ifPresent(l -> fit.cpuWords(l.bound())
                .ifPresent(w -> notes.add(where + ", max_cpus: " + w)));
        layer.get(LimitKey.MEMORY).ifPresent(l -> fit.memoryWords(l.bound())
                .ifPresent(w -> notes.add(where + ", memory: " + w)));
    }
}
