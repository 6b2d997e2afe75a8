package ds01.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.BuildResponseItem;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/** {@link ImageBuilder} through docker-java: never pulls silently, removes intermediate containers. */
@ApplicationScoped
public class DockerImageBuilder implements ImageBuilder {

    private final DockerClient docker;

    public DockerImageBuilder(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public Build start(Path context, String tag, Consumer<String> log) {
        BuildImageResultCallback callback = new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null) {
                    item.getStream().lines().forEach(log);
                }
                if (item.getErrorDetail() != null) {
                    log.accept("ERROR: " + item.getErrorDetail().getMessage());
                }
                super.onNext(item);
            }
        };
        try {
            docker.buildImageCmd(context.toFile())
                    .withDockerfile(context.resolve("Dockerfile").toFile())
                    .withTags(Set.of(tag))
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(callback);
        } catch (DockerException | DockerClientException e) {
            throw new EngineException("The Docker engine could not start the build of " + tag + ": " + e.getMessage(), e);
        }
        return new Build() {
            @Override
            public String awaitImageId() {
                try {
                    return callback.awaitImageId();
                } catch (DockerClientException | DockerException e) {
                    throw new EngineException("The build of " + tag + " failed: " + e.getMessage(), e);
                }
            }

            @Override
            public void cancel() {
                try {
                    callback.close();
                } catch (IOException e) {
                    throw new EngineException("Could not stop the build of " + tag + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
