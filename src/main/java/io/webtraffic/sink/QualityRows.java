package io.webtraffic.sink;

import io.webtraffic.quality.CheckResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * The {@code data_quality} table: one row per batch and check, upserted on (query id, batch id,
 * check). Written inside the batch's transaction when the batch commits, and on its own just before
 * a stop, so the operator sees why the job stopped; either way a batch has one row per check,
 * holding its latest evaluation.
 */
final class QualityRows {
  static final String TABLE = "data_quality";

  private QualityRows() {}

  static String ddl(String schema) {
    return "CREATE TABLE IF NOT EXISTS "
        + schema
        + "."
        + TABLE
        + " (query_id text NOT NULL, batch_id bigint NOT NULL, job_name text NOT NULL,"
        + " check_name text NOT NULL, value double precision, threshold text NOT NULL,"
        + " action text NOT NULL CHECK (action IN ('record', 'warn', 'stop')),"
        + " passed boolean NOT NULL, detail text NOT NULL,"
        + " evaluated_at timestamptz NOT NULL DEFAULT now(),"
        + " PRIMARY KEY (query_id, batch_id, check_name))";
  }

  static void upsert(
      Connection c,
      String schema,
      String jobName,
      String queryId,
      long batchId,
      List<CheckResult> results)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + schema
                + "."
                + TABLE
                + " (query_id, batch_id, job_name, check_name, value, threshold, action, passed,"
                + " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (query_id, batch_id, check_name) DO UPDATE SET"
                + " value = EXCLUDED.value, threshold = EXCLUDED.threshold,"
                + " action = EXCLUDED.action, passed = EXCLUDED.passed, detail = EXCLUDED.detail,"
                + " evaluated_at = now()")) {
      for (CheckResult r : results) {
        ps.setString(1, queryId);
        ps.setLong(2, batchId);
        ps.setString(3, jobName);
        ps.setString(4, r.check());
        if (r.value().isPresent()) {
          ps.setDouble(5, r.value().getAsDouble());
        } else {
          ps.setNull(5, Types.DOUBLE);
        }
        ps.setString(6, r.threshold());
        ps.setString(7, r.action().configName());
        ps.setBoolean(8, r.passed());
        ps.setString(9, r.detail());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
