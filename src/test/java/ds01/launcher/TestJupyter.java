package ds01.launcher;

import ds01.testing.TestUsers;
import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What "Open Jupyter" leaves in the database, made directly: the proxy tests point it at their own upstream. */
final class TestJupyter {

    private TestJupyter() {
    }

    /**
     * A new container of ds01alice's for {@code project} in {@code state} (an earlier one retired), its Jupyter
     * at 127.0.0.1:{@code port} with {@code token}; the proxy's memory of the project dropped, as opening does.
     *
     * @return the container's id
     */
    static long session(AgroalDataSource dataSource, JupyterServers servers, String project, String state, int port,
            String token) throws SQLException {
        long id;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            TestUsers.real(c, "ds01alice");
            TestUsers.real(c, "ds01bob");
            s.execute("delete from jupyter_session where container_id in (select id from container where project = '"
                    + project + "')");
            s.execute("update container set retired_at = now(), state = 'retired' where project = '" + project
                    + "' and retired_at is null");
            try (ResultSet r = s.executeQuery("insert into container (node, owner_id, project, name, image_reference, state, "
                    + "created_by, started_at) select 'testnode', id, '" + project + "', '" + project + "._.2001', "
                    + "'ds01-test/base:latest', '" + state + "', 'web', now() - interval '1 minute' from portal_user "
                    + "where username = 'ds01alice' returning id")) {
                r.next();
                id = r.getLong(1);
            }
            s.execute("insert into jupyter_session (node, container_id, token, host_port) values ('testnode', " + id + ", '" + token
                    + "', " + port + ")");
        }
        servers.forget("ds01alice", project);
        return id;
    }
}
