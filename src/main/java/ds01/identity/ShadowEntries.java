package ds01.identity;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The shadow entries of host accounts (libc's getspnam_r, so /etc/shadow or whatever NSS serves), read only to
 * explain a refusal PAM already gave. PAM tells a locked account from a wrong password by neither code nor text
 * (both are PAM_AUTH_ERR), and its texts for expired accounts are translated with the server's locale, so the
 * reason comes from the entry itself. Needs root or group shadow, as pam_unix does.
 */
final class ShadowEntries {

    private static final int ENOENT = 2;
    private static final int ERANGE = 34;
    private static final int LARGEST_BUFFER = 1 << 20;

    /** struct spwd of glibc: the day counts are longs, -1 when the field is empty. */
    @Structure.FieldOrder({"sp_namp", "sp_pwdp", "sp_lstchg", "sp_min", "sp_max", "sp_warn", "sp_inact",
            "sp_expire", "sp_flag"})
    public static class Spwd extends Structure {
        public String sp_namp;
        public String sp_pwdp;
        public NativeLong sp_lstchg;
        public NativeLong sp_min;
        public NativeLong sp_max;
        public NativeLong sp_warn;
        public NativeLong sp_inact;
        public NativeLong sp_expire;
        public NativeLong sp_flag;
    }

    interface Libc extends Library {
        /** The reentrant form: sign-ins run concurrently, and getspnam's static buffer would be shared. */
        int getspnam_r(String name, Spwd entry, Pointer buffer, NativeLong size, PointerByReference result);
    }

    /** What a shadow entry says about signing in today, with the same rules as pam_unix. */
    record ShadowEntry(boolean locked, long lastChange, long maxDays, long inactiveDays, long expireDay) {

        /** {@code passwd -l} / {@code usermod -L} put "!" before the hash; "*" or "!" alone never had a password. */
        static boolean isLocked(String hash) {
            return hash == null || hash.startsWith("!") || hash.startsWith("*");
        }

        boolean accountExpired(long today) {
            boolean expired = expireDay != -1 && today >= expireDay;
            boolean inactiveTooLong = maxDays != -1 && inactiveDays != -1 && lastChange > 0
                    && today - lastChange > maxDays + inactiveDays;
            return expired || inactiveTooLong;
        }

        /** {@code chage -d 0} (must change at next sign-in) or older than the maximum age. */
        boolean passwordExpired(long today) {
            return lastChange == 0 || (maxDays != -1 && lastChange > 0 && lastChange + maxDays < today);
        }
    }

    private final Libc libc = Native.load("c", Libc.class);

    static long today() {
        return LocalDate.now(ZoneOffset.UTC).toEpochDay();
    }

    /**
     * @return empty when NSS has no shadow entry for the name (e.g. an LDAP user whose shadow data is not served)
     * @throws IllegalStateException when the lookup itself fails (no permission, NSS backend down)
     */
    Optional<ShadowEntry> find(String username) {
        for (int size = 4096; size <= LARGEST_BUFFER; size *= 4) {
            Spwd entry = new Spwd();
            Memory buffer = new Memory(size);
            PointerByReference result = new PointerByReference();
            int error = libc.getspnam_r(username, entry, buffer, new NativeLong(size), result);
            if (error == ERANGE) {
                continue;
            }
            if (error == ENOENT || (error == 0 && result.getValue() == null)) {
                return Optional.empty();
            }
            if (error != 0) {
                throw new IllegalStateException("getspnam_r(" + username + ") failed with errno " + error
                        + ": the portal must run as root or in group shadow to check host passwords");
            }
            entry.read();
            // only whether the hash is locked leaves this method: the hash itself is never kept or logged
            return Optional.of(new ShadowEntry(ShadowEntry.isLocked(entry.sp_pwdp),
                    entry.sp_lstchg.longValue(), entry.sp_max.longValue(), entry.sp_inact.longValue(),
                    entry.sp_expire.longValue()));
        }
        throw new IllegalStateException("the shadow entry of " + username + " is larger than " + LARGEST_BUFFER + " bytes");
    }
}
