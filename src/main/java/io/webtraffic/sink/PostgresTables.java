package io.webtraffic.sink;

import io.webtraffic.config.PipelineConfig.PostgresSettings;
import io.webtraffic.enrich.DimensionTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The DDL of the job's PostgreSQL tables: creates those that are missing and migrates older ones in
 * place (columns added with {@code IF NOT EXISTS}, so it is idempotent and run at every migration),
 * as the migration role.
 */
final class PostgresTables {
  private final PostgresSettings settings;
  private final PostgresConnections connections;
  private final JobRolePrivileges privileges;

  PostgresTables(
      PostgresSettings settings, PostgresConnections connections, JobRolePrivileges privileges) {
    this.settings = settings;
    this.connections = connections;
    this.privileges = privileges;
  }

  /** See {@link PostgresSink#createTablesIfMissing}. */
  void createIfMissing() {
    String s = settings.schema();
    try (Connection c = connections.connectAsMigrator();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + s);
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + s
              + ".hits_by_host ("
              + "window_start timestamptz NOT NULL, window_end timestamptz NOT NULL, host text NOT NULL,"
              + " hits bigint NOT NULL, last_batch_id bigint NOT NULL,"
              + " PRIMARY KEY (window_start, host))");
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + s
              + ".hits_by_host_referrer ("
              + "window_start timestamptz NOT NULL, window_end timestamptz NOT NULL, host text NOT NULL,"
              + " referrer text NOT NULL, hits bigint NOT NULL, last_batch_id bigint NOT NULL,"
              + " PRIMARY KEY (window_start, host, referrer))");
      st.execute(
          "COMMENT ON COLUMN "
              + s
              + ".hits_by_host_referrer.referrer IS"
              + " 'empty string when the request had no referrer'");
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + s
              + ".hits_by_host_sliding ("
              + "window_start timestamptz NOT NULL, window_end timestamptz NOT NULL, host text NOT NULL,"
              + " hits bigint NOT NULL, last_batch_id bigint NOT NULL,"
              + " PRIMARY KEY (window_start, window_end, host))");
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + s
              + ".sessions ("
              + "session_id text PRIMARY KEY, ip text, host text, session_start timestamptz NOT NULL,"
              + " session_end timestamptz NOT NULL, events bigint NOT NULL,"
              + " distinct_urls bigint NOT NULL, ua_family text, device_family text, os_family text,"
              + " status text NOT NULL CHECK (status IN ('open', 'closed')),"
              + " last_batch_id bigint NOT NULL)");
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + s
              + ".count_windows ("
              + "window_id text PRIMARY KEY, window_key text, window_start timestamptz NOT NULL,"
              + " window_end timestamptz NOT NULL, events bigint NOT NULL, closed_by text NOT NULL,"
              + " batch_id bigint NOT NULL)");
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + s
              + ".processed_events ("
              + "dedup_key text PRIMARY KEY, event_time timestamptz NOT NULL, url text, referrer text,"
              + " host text, ip text, ua_family text, device_family text, os_family text,"
              + " user_id bigint, academy_id bigint, kafka_partition int, kafka_offset bigint,"
              + " batch_id bigint NOT NULL)");
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + s
              + ".pipeline_ledger ("
              + "query_id text NOT NULL, sink text NOT NULL, batch_id bigint NOT NULL,"
              + " committed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (query_id, sink, batch_id))");
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + s
              + ".pipeline_batches ("
              + "query_id text NOT NULL, batch_id bigint NOT NULL, job_name text NOT NULL,"
              + " records_read bigint NOT NULL, events bigint NOT NULL, duplicates bigint NOT NULL,"
              + " late bigint NOT NULL, dead_lettered bigint NOT NULL, filtered bigint NOT NULL,"
              + " dead_by_reason jsonb NOT NULL, filtered_by_reason jsonb NOT NULL,"
              + " late_threshold timestamptz NOT NULL, watermark timestamptz NOT NULL,"
              + " committed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (query_id, batch_id))");
      st.execute(
          "ALTER TABLE "
              + s
              + ".pipeline_batches ADD COLUMN IF NOT EXISTS spark_dropped_by_watermark bigint");
      st.execute(
          "COMMENT ON COLUMN "
              + s
              + ".pipeline_batches.spark_dropped_by_watermark IS"
              + " 'rows Spark''s stateful operators dropped behind the watermark, from the query"
              + " progress; equals late'");
      st.execute(
          "ALTER TABLE "
              + s
              + ".pipeline_batches ADD COLUMN IF NOT EXISTS dimensions_version text");
      st.execute(
          "COMMENT ON COLUMN "
              + s
              + ".pipeline_batches.dimensions_version IS"
              + " 'the side inputs (ip_ranges, sites) that enriched the batch: a hash of their rows'");
      st.execute(
          "ALTER TABLE "
              + s
              + ".sessions ADD COLUMN IF NOT EXISTS country text,"
              + " ADD COLUMN IF NOT EXISTS state text, ADD COLUMN IF NOT EXISTS city text");
      // After the columns above, so new and old tables have one layout; null in rows written when
      // session_end was the last event's time (README, Migration note).
      st.execute(
          "ALTER TABLE " + s + ".sessions ADD COLUMN IF NOT EXISTS last_event_time timestamptz");
      st.execute(
          "COMMENT ON COLUMN "
              + s
              + ".sessions.session_end IS 'end of the session window: last event + gap'");
      st.execute(
          "ALTER TABLE "
              + s
              + ".processed_events ADD COLUMN IF NOT EXISTS country text,"
              + " ADD COLUMN IF NOT EXISTS state text, ADD COLUMN IF NOT EXISTS city text,"
              + " ADD COLUMN IF NOT EXISTS site_name text, ADD COLUMN IF NOT EXISTS owner text,"
              + " ADD COLUMN IF NOT EXISTS environment text");
      DimensionTables.create(st, s);
      for (String column :
          List.of("latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_max_ms")) {
        st.execute(
            "ALTER TABLE "
                + s
                + ".pipeline_batches ADD COLUMN IF NOT EXISTS "
                + column
                + " bigint");
      }
      st.execute(
          "COMMENT ON COLUMN "
              + s
              + ".pipeline_batches.latency_p99_ms IS"
              + " '99th percentile of the time from the records'' Kafka timestamps to this commit'");
      st.execute(QualityRows.ddl(s));
      st.execute(ProgressTable.ddl(s));
      privileges.grant(st);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot create PostgreSQL tables in schema "
              + s
              + " at "
              + settings.url()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
