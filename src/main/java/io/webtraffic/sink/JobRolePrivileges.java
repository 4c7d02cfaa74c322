package io.webtraffic.sink;

import io.webtraffic.config.PipelineConfig.PostgresSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the job's role may do on its tables, and nothing more: granted by the migration, checked by
 * the job at start so that a missing table or grant stops it with what to do, not at its first
 * batch.
 */
final class JobRolePrivileges {
  /** What the job's role may do on its tables, and nothing more. */
  static final String JOB_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE";

  private final PostgresSettings settings;
  private final PostgresConnections connections;

  JobRolePrivileges(PostgresSettings settings, PostgresConnections connections) {
    this.settings = settings;
    this.connections = connections;
  }

  /**
   * The job's role may use the schema and read and write the rows of every table in it, today's and
   * those a later migration adds (default privileges of the migration role); nothing else.
   */
  void grant(Statement st) throws SQLException {
    if (settings.migratesAtStart()) {
      return;
    }
    String s = settings.schema();
    String job = quoteIdentifier(settings.user());
    st.execute("GRANT USAGE ON SCHEMA " + s + " TO " + job);
    st.execute("GRANT " + JOB_PRIVILEGES + " ON ALL TABLES IN SCHEMA " + s + " TO " + job);
    st.execute(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA "
            + s
            + " GRANT "
            + JOB_PRIVILEGES
            + " ON TABLES TO "
            + job);
  }

  /**
   * Stops the job at start, with what to do, when a table is missing or the job's role cannot write
   * it: with a separate migration role the job never creates tables itself.
   */
  void require() {
    String s = settings.schema();
    try (Connection c = connections.connect();
        PreparedStatement ps =
            c.prepareStatement(
                // has_table_privilege is true for any one of a list: each is asked on its own.
                "SELECT coalesce(bool_and(has_table_privilege(t, p)), false) FROM"
                    + " (SELECT to_regclass(?) AS t) r,"
                    + " unnest(string_to_array(?, ', ')) AS p WHERE t IS NOT NULL")) {
      for (String table : PostgresSink.TABLES) {
        ps.setString(1, s + "." + table);
        ps.setString(2, JOB_PRIVILEGES);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            throw new IllegalStateException(
                String.format(
                    "Cannot start: PostgreSQL table %s.%s is missing or role %s cannot %s it;"
                        + " run `scripts/pipeline migrate` with the same configuration first (it"
                        + " connects as postgres.migrate-user %s)",
                    s, table, settings.user(), JOB_PRIVILEGES, settings.migrateUser()));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot check the PostgreSQL tables in schema "
              + s
              + " at "
              + settings.url()
              + " as "
              + settings.user()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
