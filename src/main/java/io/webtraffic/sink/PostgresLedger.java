package io.webtraffic.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code pipeline_ledger} table: one row per (query id, sink, batch id), written in the batch's
 * own transaction. A batch whose row exists was committed before, so a replay of it is skipped and
 * window increments are applied once.
 */
final class PostgresLedger {
  static final String SINK = "postgres";

  private PostgresLedger() {}

  static boolean alreadyCommitted(Connection c, String schema, String queryId, long batchId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM "
                + schema
                + ".pipeline_ledger WHERE query_id = ? AND sink = ? AND batch_id = ?")) {
      ps.setString(1, queryId);
      ps.setString(2, SINK);
      ps.setLong(3, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Marks the batch committed; the last statement before COMMIT. */
  static void record(Connection c, String schema, String queryId, long batchId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + schema
                + ".pipeline_ledger (query_id, sink, batch_id) VALUES (?, ?, ?)")) {
      ps.setString(1, queryId);
      ps.setString(2, SINK);
      ps.setLong(3, batchId);
      ps.executeUpdate();
    }
  }
}
