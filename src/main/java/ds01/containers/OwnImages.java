package ds01.containers;

import ds01.engine.ContainerEngine;
import ds01.events.Actor;
import ds01.events.AuditLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A user's own image ({@code ds01-<uid>/...}) deleted with the retire of a container that ran it, when asked and
 * when no other container of theirs uses it. Base images stay for everyone.
 */
@ApplicationScoped
public class OwnImages {

    static final String STEP = "Delete the image";

    private final ContainerEngine engine;
    private final AuditLog auditLog;

    public OwnImages(ContainerEngine engine, AuditLog auditLog) {
        this.engine = engine;
        this.auditLog = auditLog;
    }

    /** Deletes the image {@code retired} ran, or says why it stays. */
    Step deleteWith(ContainerRecord retired, Actor actor) {
        String own = "ds01-" + retired.name.substring(retired.name.lastIndexOf("._.") + 3) + "/";
        if (!retired.imageReference.startsWith(own)) {
            return new Step(STEP, StepState.skipped, retired.imageReference + " is a base image; it stays for everyone.");
        }
        boolean inUse = QuarkusTransaction.requiringNew().call(() -> ContainerRecord.liveOf(retired.ownerId).stream()
                .anyMatch(c -> c.imageReference.equals(retired.imageReference)));
        if (inUse) {
            return new Step(STEP, StepState.skipped, "another of your containers uses " + retired.imageReference + ".");
        }
        try {
            engine.removeImage(retired.imageReference);
        } catch (RuntimeException e) {
            return new Step(STEP, StepState.failed, e.getMessage());
        }
        auditLog.record(actor, "image.delete", retired.imageReference, "with the retire of " + retired.name);
        return new Step(STEP, StepState.done, retired.imageReference + " deleted; its Dockerfile stays in your workspace.");
    }
}
