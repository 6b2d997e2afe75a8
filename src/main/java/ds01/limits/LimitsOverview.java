package ds01.limits;

import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.List;

/** What the admin limits page shows about the file in force. */
@TemplateData
public record LimitsOverview(String file, String loadedAt, String defaultGroup, List<GroupRow> groups,
        List<IgnoredKey> ignoredKeys, String reloadError, String reloadErrorAt, List<String> adminUsers,
        String adminGroup) {

    /** A group with its members and the values it sets itself, as written ("max_cpus 48"). */
    @TemplateData
    public record GroupRow(String name, List<String> members, List<String> settings) {
    }

    public static LimitsOverview of(LimitsService service) {
        LimitsFile f = service.current();
        List<GroupRow> groups = new ArrayList<>();
        for (Group g : f.groups().values()) {
            List<String> settings = new ArrayList<>();
            g.limits().values().forEach((k, v) -> settings.add(k.name() + " " + ValueView.humanUnchecked(k, v)));
            g.policies().values().forEach((k, v) -> settings.add("policies." + k.name() + " "
                    + ValueView.humanUnchecked(k, v)));
            groups.add(new GroupRow(g.name(), g.members(), settings));
        }
        return new LimitsOverview(service.loadedFrom().toString(), service.loadedAt().toString(),
                f.defaultGroup().orElse(null), groups, service.ignoredKeys(),
                service.reloadError().map(ReloadError::message).orElse(null),
                service.reloadError().map(e -> e.at().toString()).orElse(null),
                f.accessControl().adminUsers(), f.accessControl().adminGroup().orElse(null));
    }
}
