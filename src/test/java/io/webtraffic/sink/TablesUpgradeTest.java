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
 * Tables made by the version before the side inputs gain their columns at the next start, keep
 * their rows, and a second start changes nothing.
 */
@ExtendWith(SharedStack.class)
class TablesUpgradeTest {
  static final List<String> ENRICHED =
      List.of("country", "state", "city", "site_name", "owner", "environment");

  @TempDir Path workDir;

  @Test
  void oldIcebergAndPostgresTablesGainTheSideInputColumns() throws Exception {
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
            + IcebergTables.EVENT_COLUMNS
            + ") USING iceberg PARTITIONED BY (hours(event_time))");
    spark.sql(
        "INSERT INTO "
            + events
            + " VALUES ('k1', TIMESTAMP '2026-11-20 10:00:00', NULL, NULL, NULL, '192.0.2.1',"
            + String.join("", java.util.Collections.nCopies(13, " NULL,"))
            + " 0)");
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
    List<String> sessionColumns = Arrays.asList(spark.table(pipeline.table("sessions")).columns());
    assertEquals(
        List.of("batch_id", "country", "state", "city"),
        sessionColumns.subList(sessionColumns.size() - 4, sessionColumns.size()));
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT session_id, country, city FROM old_tables.sessions")) {
      rs.next();
      assertEquals("s1 null null", rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
    }
  }
}
