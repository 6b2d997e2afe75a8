package ds01.identity;

/** What a sign-in attempt came to: in, with the host account, or refused with a reason a person can act on. */
public sealed interface SignInResult {

    record SignedIn(HostAccount account) implements SignInResult {
    }

    record Refused(Reason reason, String message) implements SignInResult {
    }

    enum Reason {
        /** Also for unknown users: a refusal must not reveal which accounts exist. */
        WRONG_PASSWORD(401),
        ACCOUNT_LOCKED(403),
        ACCOUNT_EXPIRED(403),
        PASSWORD_EXPIRED(403),
        NOT_ALLOWED(403),
        INVALID_INPUT(400);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }
}
