package ds01.engine;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Builds images on the engine: the other half of the AIME adapter. One real implementation (docker-java).
 */
public interface ImageBuilder {

    /**
     * Starts building {@code tag} from the Dockerfile in {@code context} (a directory holding only what the build
     * needs), handing each line of the engine's output to {@code log}.
     */
    Build start(Path context, String tag, Consumer<String> log);

    /** A build under way. */
    interface Build {

        /** Waits for the end: the image id, or an {@link EngineException} that says why it failed. */
        String awaitImageId();

        /** Stops the build: the engine is told by closing the stream it answers on. */
        void cancel();
    }
}
