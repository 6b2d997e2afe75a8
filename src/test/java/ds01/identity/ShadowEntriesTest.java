package ds01.identity;

import org.junit.jupiter.api.Test;

import ds01.identity.ShadowEntries.ShadowEntry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pam_unix's rules on shadow entries, and the real entries setup-accounts.sh writes. */
class ShadowEntriesTest {

    static final long TODAY = 20_000;

    @Test
    void theRulesOfPamUnix() {
        ShadowEntry fine = new ShadowEntry(false, TODAY - 10, 99999, -1, -1);
        assertFalse(fine.accountExpired(TODAY));
        assertFalse(fine.passwordExpired(TODAY));
        assertTrue(new ShadowEntry(false, TODAY - 10, 99999, -1, 0).accountExpired(TODAY));
        assertTrue(new ShadowEntry(false, TODAY - 10, 99999, -1, TODAY).accountExpired(TODAY));
        assertFalse(new ShadowEntry(false, TODAY - 10, 99999, -1, TODAY + 1).accountExpired(TODAY));
        assertTrue(new ShadowEntry(false, 0, 99999, -1, -1).passwordExpired(TODAY));
        assertTrue(new ShadowEntry(false, TODAY - 100, 90, -1, -1).passwordExpired(TODAY));
        assertTrue(new ShadowEntry(false, TODAY - 100, 90, 5, -1).accountExpired(TODAY), "inactive too long");
        assertTrue(ShadowEntry.isLocked("!$y$j9T$abc"));
        assertTrue(ShadowEntry.isLocked("*"));
        assertFalse(ShadowEntry.isLocked("$y$j9T$abc"));
    }

    @Test
    void readsTheRealEntries() {
        ShadowEntries shadow = new ShadowEntries();
        long today = ShadowEntries.today();
        String setup = " (" + "run testing/setup-accounts.sh (testing/run-tests.sh does)" + ")";
        assertTrue(shadow.find("ds01locked").orElseThrow(() -> new AssertionError("no ds01locked" + setup)).locked());
        ShadowEntry alice = shadow.find("ds01alice").orElseThrow(() -> new AssertionError("no ds01alice" + setup));
        assertFalse(alice.locked() || alice.accountExpired(today) || alice.passwordExpired(today));
        assertTrue(shadow.find("ds01expired").orElseThrow().accountExpired(today));
        assertTrue(shadow.find("ds01passexp").orElseThrow().passwordExpired(today));
        assertTrue(shadow.find("ds01nobody").isEmpty());
    }
}
