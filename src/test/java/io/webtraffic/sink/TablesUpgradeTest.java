package io.webtraffic.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.local.SharedStack;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables made by the version before the side inputs, and before sessions kept their last event's
 * time apart from their end, gain their columns at the next start, keep their rows, end up with the
 * layout of tables made new, and a second start changes nothing.
 */
@ExtendWith(SharedStack.class)
class TablesUpgradeTest {
  static final List<String> ENRICHED =
      List.of("country", "state", "city", "site_name", "owner", "environment");

  @TempDir Path workDir;

  @Test
  void oldIcebergAndPostgresTablesGainTheSideInputAndLastEventTimeColumns() throws Exception {
    TestPipeline pipeline =
        new TestPipeline("old_tables", SharedStack.endpoints(), workDir, Map.of());
    PipelineConfig config = pipeline.config();
    SparkSession spark = TestSpark.session();
    String events = pipeline.table("events");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + TestSpark.CATALOG + ".old_tables");
    spark.sql(
        "CREATE TABLE "
            + events
            + " (\n  "
            + IcebergColumns.EVENT_COLUMNS
            + ") USING iceberg PARTITIONED BY (hours(event_time))");
    spark.sql(
        "INSERT INTO "
            + events
            + " VALUES ('k1', TIMESTAMP '2026-11-20 10:00:00', NULL, NULL, NULL, '192.0.2.1',"
            + String.join("", java.util.Collections.nCopies(13, " NULL,"))
            + " 0)");
    // The sessions table as the version before the side inputs created it.
    String sessions = pipeline.table("sessions");
    spark.sql(
        "CREATE TABLE "
            + sessions
            + " (session_id STRING NOT NULL, ip STRING, host STRING,"
            + " session_start TIMESTAMP NOT NULL COMMENT 'first event',"
            + " session_end TIMESTAMP NOT NULL COMMENT 'last event; the session window ends a gap"
            + " later', events BIGINT NOT NULL, distinct_urls BIGINT NOT NULL, ua_family STRING,"
            + " device_family STRING, os_family STRING, batch_id BIGINT)"
            + " USING iceberg PARTITIONED BY (days(session_start))");
    spark.sql(
        "INSERT INTO "
            + sessions
            + " VALUES ('s1', '192.0.2.1', 'h', TIMESTAMP '2026-11-20 10:00:00',"
            + " TIMESTAMP '2026-11-20 10:01:00', 2, 2, 'Firefox', 'Other', 'Linux', 0)");
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA old_tables");
      // The sessions table as the previous version created it.
      st.execute(
          "CREATE TABLE old_tables.sessions (session_id text PRIMARY KEY, ip text, host text,"
              + " session_start timestamptz NOT NULL, session_end timestamptz NOT NULL,"
              + " events bigint NOT NULL, distinct_urls bigint NOT NULL, ua_family text,"
              + " device_family text, os_family text, status text NOT NULL CHECK (status IN"
              + " ('open', 'closed')), last_batch_id bigint NOT NULL)");
      st.execute(
          "INSERT INTO old_tables.sessions VALUES ('s1', '192.0.2.1', 'h', now(), now(), 1, 1,"
              + " 'Firefox', 'Other', 'Linux', 'open', 0)");
    }
    List<String> before = Arrays.asList(spark.table(events).columns());

    for (int start = 0; start < 2; start++) {
      new IcebergTables(config.iceberg()).createIfMissing(spark);
      new PostgresSink(config.postgres(), "old_tables").createTablesIfMissing();
    }

    List<String> expected = new ArrayList<>(before);
    expected.addAll(ENRICHED);
    assertEquals(expected, Arrays.asList(spark.table(events).columns()));
    assertEquals(
        "[k1,192.0.2.1,null,null]",
        spark.sql("SELECT dedup_key, ip, country, owner FROM " + events).first().toString());
    List<String> lateColumns = Arrays.asList(spark.table(pipeline.table("late_events")).columns());
    assertEquals(ENRICHED, lateColumns.subList(lateColumns.size() - 6, lateColumns.size()));
    List<String> sessionColumns = Arrays.asList(spark.table(sessions).columns());
    assertEquals(
        List.of("batch_id", "country", "state", "city", "last_event_time"),
        sessionColumns.subList(sessionColumns.size() - 5, sessionColumns.size()));
    // An old row keeps its values: its session_end is still its last event, last_event_time null.
    assertEquals(
        "[s1,2026-11-20 10:01:00,null]",
        spark
            .sql(
                "SELECT session_id, date_format(session_end, 'yyyy-MM-dd HH:mm:ss'),"
                    + " last_event_time FROM "
                    + sessions)
            .first()
            .toString());
    assertEquals(
        "end of the session window: last event + gap",
        IcebergTables.load(spark, sessions).schema().findField("session_end").doc());
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT session_id, country, city, last_event_time FROM old_tables.sessions")) {
      rs.next();
      assertEquals(
          "s1 null null null",
          rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
    }

    // The README's migration statements give old rows the new meaning (gap 5 minutes).
    spark.sql(
        "UPDATE "
            + sessions
            + " SET session_end = session_end + INTERVAL 5 MINUTES,"
            + " last_event_time = session_end WHERE last_event_time IS NULL");
    assertEquals(
        "[s1,2026-11-20 10:06:00,2026-11-20 10:01:00]",
        spark
            .sql(
                "SELECT session_id, date_format(session_end, 'yyyy-MM-dd HH:mm:ss'),"
                    + " date_format(last_event_time, 'yyyy-MM-dd HH:mm:ss') FROM "
                    + sessions)
            .first()
            .toString());
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      st.execute(
          "UPDATE old_tables.sessions SET last_event_time = session_end,"
              + " session_end = session_end + INTERVAL '5 minutes' WHERE last_event_time IS NULL");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT session_end - last_event_time = INTERVAL '5 minutes' FROM"
                  + " old_tables.sessions")) {
        rs.next();
        assertEquals(true, rs.getBoolean(1), "session_end is last_event_time + 5 minutes");
      }
    }

    // Tables made new have the same sessions columns, in the same order, in both sinks.
    TestPipeline fresh =
        new TestPipeline("fresh_tables", SharedStack.endpoints(), workDir, Map.of());
    new IcebergTables(fresh.config().iceberg()).createIfMissing(spark);
    new PostgresSink(fresh.config().postgres(), "fresh_tables").createTablesIfMissing();
    assertEquals(sessionColumns, Arrays.asList(spark.table(fresh.table("sessions")).columns()));
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      assertEquals(
          pgColumns(st, "old_tables", "sessions"), pgColumns(st, "fresh_tables", "sessions"));
    }
  }

  static List<String> pgColumns(Statement st, String schema, String table) throws Exception {
    List<String> columns = new ArrayList<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                + schema
                + "' AND table_name = '"
                + table
                + "' ORDER BY ordinal_position")) {
      while (rs.next()) {
        columns.add(rs.getString(1));
      }
    }
    return columns;
  }
}
