package ds01.gpu;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a MIG profile's compute share is counted: "2g.20gb" holds 2 of the GPU's compute slices. */
final class ComputeSlices {

    private static final Pattern PROFILE = Pattern.compile("^(\\d+)g\\.\\d+gb(?:\\+me)?$");

    private ComputeSlices() {
    }

    /** Compute slices of a whole GPU: 7 on A100 and H100 class GPUs, 4 on the A30. */
    static int ofGpu(String productName) {
        return productName.contains("A30") ? 4 : 7;
    }

    static int ofProfile(String profile) {
        Matcher m = PROFILE.matcher(profile);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + profile + "\" is not a MIG profile (like 1g.10gb or 3g.40gb)");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The profile's weight in GPU-equivalents, e.g. 2g.20gb on a 7-slice GPU = 2/7. */
    static double weight(String profile, String productName) {
        return (double) ofProfile(profile) / ofGpu(productName);
    }
}
