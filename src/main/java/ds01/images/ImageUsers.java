package ds01.images;

import java.util.List;

/**
 * Which live containers were made from an image: an image in use is not deleted. The containers feature answers
 * it; images sit below containers, which deploy them.
 */
public interface ImageUsers {

    /** Names of the live containers made from this image reference, by name. */
    List<String> liveContainersUsing(String imageReference);
}
