package ds01.limits;

import io.quarkus.qute.TemplateData;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A user's effective limits for {@code GET /api/limits/{user}} and the admin page. */
@TemplateData
public record EffectiveLimitsView(String username, String group, String groupReason, Map<String, ValueView> limits,
        Map<String, ValueView> policies, ReservationView reservation) {

    @TemplateData
    public record ReservationView(List<String> gpus, String start, String end, String reason) {
    }

    public static EffectiveLimitsView of(EffectiveLimits e) {
        return new EffectiveLimitsView(e.username(), e.group().orElse(null), e.membership().reason(),
                views(e.limits()), views(e.policies()),
                e.reservation().map(r -> new ReservationView(r.gpus(), r.start().toString(), r.end().toString(),
                        r.reason())).orElse(null));
    }

    /** The limits in display order, for templates (not a getter, so not in the JSON twice). */
    public List<ValueView> limitRows() {
        return List.copyOf(limits.values());
    }

    public List<ValueView> policyRows() {
        return List.copyOf(policies.values());
    }

    private static Map<String, ValueView> views(Map<LimitKey<?>, Resolved<?>> values) {
        Map<String, ValueView> out = new LinkedHashMap<>();
        values.forEach((k, r) -> out.put(k.name(), ValueView.of(r)));
        return out;
    }
}
