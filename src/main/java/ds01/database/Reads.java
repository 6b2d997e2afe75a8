package ds01.database;

import io.quarkus.narayana.jta.QuarkusTransaction;

import java.util.function.Supplier;

/**
 * Runs a read in the caller's transaction when there is one, else in a transaction of its own. A read that always
 * began its own would suspend the caller's and hold a second pooled connection while the first waits: under a
 * class's worth of page loads that empties the pool (the load bench saw 503s from connection timeouts).
 */
public final class Reads {

    private Reads() {
    }

    public static <T> T inTransaction(Supplier<T> query) {
        return QuarkusTransaction.isActive() ? query.get() : QuarkusTransaction.requiringNew().call(query::get);
    }
}
