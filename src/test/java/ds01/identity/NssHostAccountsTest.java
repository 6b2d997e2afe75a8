package ds01.identity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real user database; the accounts come from testing/setup-accounts.sh. */
class NssHostAccountsTest {

    private final NssHostAccounts accounts = new NssHostAccounts();

    @Test
    void findsAccountsWithTheirGroupsAndNothingForUnknownOrInvalidNames() {
        HostAccount bob = accounts.find("ds01bob").orElseThrow(
                () -> new AssertionError("ds01bob is missing: " + "run testing/setup-accounts.sh (testing/run-tests.sh does)"));
        assertEquals(2002, bob.uid());
        assertEquals("/home/ds01bob", bob.home());
        assertTrue(bob.groups().contains("ds01-researchers"), bob.groups().toString());
        assertEquals(0, accounts.find("root").orElseThrow().uid());
        assertTrue(accounts.find("ds01nobody").isEmpty());
        assertTrue(accounts.find("Not A Name").isEmpty());
    }
}
