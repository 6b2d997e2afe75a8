package ds01.gpu;

/** nvidia-smi is missing, broken or too slow; the message says which and what to do. */
public class NvidiaSmiUnavailableException extends RuntimeException {
    public NvidiaSmiUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
