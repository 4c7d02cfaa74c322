package io.webtraffic.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Merges one batch's windows into their PostgreSQL tables, inside the batch's transaction: the rows
 * are COPYed into temporary staging tables (dropped at commit) and merged with one statement per
 * table. Tumbling and sliding windows receive increments; sessions and count windows their whole
 * current value.
 */
final class WindowMerge {
  private WindowMerge() {}

  static void merge(Connection c, String schema, PostgresSink.BatchRows rows, long batchId)
      throws SQLException, IOException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TEMP TABLE stage_hits_by_host (window_start timestamptz,"
              + " window_end timestamptz, host text, hits bigint) ON COMMIT DROP");
      st.execute(
          "CREATE TEMP TABLE stage_hits_by_host_referrer (window_start timestamptz,"
              + " window_end timestamptz, host text, referrer text, hits bigint) ON COMMIT DROP");
      st.execute(
          "CREATE TEMP TABLE stage_hits_by_host_sliding (window_start timestamptz,"
              + " window_end timestamptz, host text, hits bigint) ON COMMIT DROP");
      st.execute(
          "CREATE TEMP TABLE stage_sessions (session_id text, ip text, host text,"
              + " session_start timestamptz, session_end timestamptz, last_event_time timestamptz,"
              + " events bigint, distinct_urls bigint, ua_family text, device_family text,"
              + " os_family text, status text, country text, state text, city text)"
              + " ON COMMIT DROP");
      st.execute(
          "CREATE TEMP TABLE stage_count_windows (window_id text, window_key text,"
              + " window_start timestamptz, window_end timestamptz, events bigint, closed_by text)"
              + " ON COMMIT DROP");
    }
    PostgresCopy.stage(c, "stage_hits_by_host", rows.hostWindows());
    PostgresCopy.copy(
        c,
        "stage_hits_by_host_referrer",
        rows.referrerWindows().iterator(),
        r -> CsvRows.line(r.get(0), r.get(1), r.get(2), r.isNullAt(3) ? "" : r.get(3), r.get(4)));
    PostgresCopy.stage(c, "stage_hits_by_host_sliding", rows.slidingWindows());
    PostgresCopy.stage(c, "stage_sessions", rows.windows().sessions());
    PostgresCopy.stage(c, "stage_count_windows", rows.windows().countWindows());
    try (Statement st = c.createStatement()) {
      // Tumbling and sliding windows: this batch's hits are added to what the window has.
      addHits(
          st,
          schema,
          "hits_by_host",
          "window_start, window_end, host",
          "window_start, host",
          batchId);
      addHits(
          st,
          schema,
          "hits_by_host_referrer",
          "window_start, window_end, host, referrer",
          "window_start, host, referrer",
          batchId);
      addHits(
          st,
          schema,
          "hits_by_host_sliding",
          "window_start, window_end, host",
          "window_start, window_end, host",
          batchId);
      // Sessions carry their whole current value: replace the row, and drop merged sessions.
      st.executeUpdate(
          "DELETE FROM "
              + schema
              + ".sessions WHERE session_id IN"
              + " (SELECT session_id FROM stage_sessions WHERE status = '"
              + WindowRows.MERGED
              + "')");
      st.executeUpdate(
          "INSERT INTO "
              + schema
              + ".sessions (session_id, ip, host, session_start, session_end, last_event_time,"
              + " events, distinct_urls, ua_family, device_family, os_family, status,"
              + " last_batch_id, country, state, city)"
              + " SELECT session_id, ip, host, session_start, session_end, last_event_time,"
              + " events, distinct_urls, ua_family, device_family, os_family, status, "
              + batchId
              + ", country, state, city FROM stage_sessions WHERE status <> '"
              + WindowRows.MERGED
              + "' ON CONFLICT (session_id) DO UPDATE SET session_start = EXCLUDED.session_start,"
              + " session_end = EXCLUDED.session_end,"
              + " last_event_time = EXCLUDED.last_event_time, events = EXCLUDED.events,"
              + " distinct_urls = EXCLUDED.distinct_urls, ua_family = EXCLUDED.ua_family,"
              + " device_family = EXCLUDED.device_family, os_family = EXCLUDED.os_family,"
              + " status = EXCLUDED.status, last_batch_id = EXCLUDED.last_batch_id,"
              + " country = EXCLUDED.country, state = EXCLUDED.state, city = EXCLUDED.city");
      // Count windows are final when emitted: insert (replace keeps a replay harmless).
      st.executeUpdate(
          "INSERT INTO "
              + schema
              + ".count_windows SELECT window_id, window_key, window_start, window_end, events,"
              + " closed_by, "
              + batchId
              + " FROM stage_count_windows ON CONFLICT (window_id) DO UPDATE"
              + " SET window_key = EXCLUDED.window_key, window_start = EXCLUDED.window_start,"
              + " window_end = EXCLUDED.window_end, events = EXCLUDED.events,"
              + " closed_by = EXCLUDED.closed_by, batch_id = EXCLUDED.batch_id");
    }
  }

  /**
   * Adds the staged hits to the table. Rows Spark keeps apart can share a key here (no referrer and
   * an empty referrer are both stored as ''), so they are summed first: one statement may not
   * update a row twice.
   */
  private static void addHits(
      Statement st, String schema, String table, String columns, String key, long batchId)
      throws SQLException {
    st.executeUpdate(
        "INSERT INTO "
            + schema
            + "."
            + table
            + " AS t SELECT "
            + columns
            + ", sum(hits), "
            + batchId
            + " FROM stage_"
            + table
            + " GROUP BY "
            + columns
            + " ON CONFLICT ("
            + key
            + ") DO UPDATE SET hits = t.hits + EXCLUDED.hits, last_batch_id = EXCLUDED.last_batch_id");
  }
}
