package ds01.gpu;

import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands where the container feature will listen: records each queued request the queue granted. */
@Singleton
public class GrantedRequests {

    final List<GpuQueue.RequestGranted> seen = new CopyOnWriteArrayList<>();

    void onGrant(@Observes GpuQueue.RequestGranted granted) {
        seen.add(granted);
    }
}
