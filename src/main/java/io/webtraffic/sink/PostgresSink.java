package io.webtraffic.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.webtraffic.batch.BatchCounts;
import io.webtraffic.batch.KafkaTimes;
import io.webtraffic.batch.Watermarks;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.config.PipelineConfig.PostgresSettings;
import io.webtraffic.enrich.DimensionTables;
import io.webtraffic.quality.CheckResult;
import io.webtraffic.quality.QualityLog;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one micro-batch to PostgreSQL in a single transaction: tumbling and sliding window
 * increments, the sessions and count windows that changed, optionally the clean events, the batch's
 * accounting row and the ledger row (query id, sink, batch id). A batch whose ledger row exists was
 * committed before and is skipped, so window increments are applied once. Rows travel by COPY into
 * temporary staging tables and are merged with one statement per table.
 */
public final class PostgresSink implements QualityLog {
  static final String SINK = "postgres";

  /** Every table the job writes in its schema. */
  public static final List<String> TABLES =
      List.of(
          "hits_by_host",
          "hits_by_host_referrer",
          "hits_by_host_sliding",
          "sessions",
          "count_windows",
          "processed_events",
          "pipeline_batches",
          "pipeline_ledger",
          QualityRows.TABLE,
          ProgressTable.TABLE);

  /** What the job's role may do on its tables, and nothing more. */
  static final String JOB_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PostgresSettings settings;
  private final String jobName;

  public PostgresSink(PostgresSettings settings, String jobName) {
    this.settings = settings;
    this.jobName = jobName;
  }

  /**
   * What one batch brings to PostgreSQL: increments of the tumbling and sliding windows, the
   * sessions and count windows that changed, and (when events are upserted too) the clean events.
   */
  public record BatchRows(
      List<Row> hostWindows,
      List<Row> referrerWindows,
      List<Row> slidingWindows,
      WindowRows windows,
      Supplier<Iterator<Row>> events,
      List<CheckResult> quality,
      KafkaTimes kafkaTimes) {}

  /**
   * What a commit did: false when the ledger showed the batch committed before; the batch's latency
   * from Kafka timestamp to this commit (recorded in pipeline_batches).
   */
  public record Commit(boolean committed, KafkaTimes.Latency latency) {}

  /**
   * Creates the schema and tables that are missing, as the migration role ({@code
   * postgres.migrate-user}), and grants the job's role exactly what it needs on them. The job's own
   * role cannot do this: it may only read and write the rows of its tables.
   */
  public void createTablesIfMissing() {
    String s = settings.schema();
    try (Connection c = connectAsMigrator();
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
      grantToJobRole(st);
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

  /**
   * The job's role may use the schema and read and write the rows of every table in it, today's and
   * those a later migration adds (default privileges of the migration role); nothing else.
   */
  private void grantToJobRole(Statement st) throws SQLException {
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
  public void requireTables() {
    String s = settings.schema();
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                // has_table_privilege is true for any one of a list: each is asked on its own.
                "SELECT coalesce(bool_and(has_table_privilege(t, p)), false) FROM"
                    + " (SELECT to_regclass(?) AS t) r,"
                    + " unnest(string_to_array(?, ', ')) AS p WHERE t IS NOT NULL")) {
      for (String table : TABLES) {
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

  /**
   * Commits the batch, retrying with exponential backoff while PostgreSQL cannot be reached (a
   * restart, a failover). A retry after a lost COMMIT reply is safe: it finds the ledger row.
   * Returns whether it committed (false when the ledger shows the batch was committed before).
   */
  public Commit commit(
      String queryId,
      long batchId,
      BatchCounts counts,
      Watermarks watermarks,
      String dimensionsVersion,
      BatchRows rows) {
    RetryPolicy<Commit> retries =
        RetryPolicy.<Commit>builder()
            .handleIf(PostgresSink::isUnavailable)
            .withBackoff(
                settings.retryBackoff(),
                MAX_BACKOFF.compareTo(settings.retryBackoff()) > 0
                    ? MAX_BACKOFF
                    : settings.retryBackoff())
            .withMaxRetries(settings.commitRetries())
            .onRetryScheduled(
                e ->
                    LOG.warn(
                        "Batch {}: PostgreSQL at {} unavailable ({}); retry {} of {} in {} ms",
                        batchId,
                        settings.url(),
                        e.getLastException().getMessage(),
                        e.getAttemptCount(),
                        settings.commitRetries(),
                        e.getDelay().toMillis()))
            .build();
    try {
      return Failsafe.with(retries)
          .get(() -> commitOnce(queryId, batchId, counts, watermarks, dimensionsVersion, rows));
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "Cannot commit batch "
              + batchId
              + " to PostgreSQL at "
              + settings.url()
              + (isUnavailable(cause) ? " after " + settings.commitRetries() + " retries" : "")
              + ": "
              + cause.getMessage(),
          cause);
    }
  }

  /** Connection failures and server shutdowns: worth waiting for, unlike a bad statement. */
  static boolean isUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException) {
        return true;
      }
    }
    return false;
  }

  private Commit commitOnce(
      String queryId,
      long batchId,
      BatchCounts counts,
      Watermarks watermarks,
      String dimensionsVersion,
      BatchRows rows)
      throws SQLException, IOException {
    String s = settings.schema();
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        if (alreadyCommitted(c, queryId, batchId)) {
          c.rollback();
          return new Commit(false, KafkaTimes.Latency.NONE);
        }
        KafkaTimes.Latency latency;
        mergeWindows(c, rows, batchId);
        if (rows.events() != null) {
          mergeEvents(c, rows.events().get(), batchId);
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + s
                    + ".pipeline_batches"
                    + " (query_id, batch_id, job_name, records_read, events, duplicates, late, dead_lettered,"
                    + " filtered, dead_by_reason, filtered_by_reason, late_threshold, watermark,"
                    + " dimensions_version, latency_p50_ms, latency_p95_ms, latency_p99_ms,"
                    + " latency_max_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, queryId);
          ps.setLong(2, batchId);
          ps.setString(3, jobName);
          ps.setLong(4, counts.read());
          ps.setLong(5, counts.events());
          ps.setLong(6, counts.duplicates());
          ps.setLong(7, counts.late());
          ps.setLong(8, counts.dead());
          ps.setLong(9, counts.filtered());
          ps.setString(10, json(counts.deadByReason()));
          ps.setString(11, json(counts.filteredByReason()));
          ps.setTimestamp(12, new Timestamp(watermarks.lateThresholdMs()));
          ps.setTimestamp(13, new Timestamp(watermarks.currentMs()));
          ps.setString(14, dimensionsVersion);
          // The last statements before COMMIT: the latency is measured to (nearly) the commit.
          latency = rows.kafkaTimes().latencyAt(System.currentTimeMillis());
          long[] ms = {latency.p50Ms(), latency.p95Ms(), latency.p99Ms(), latency.maxMs()};
          for (int i = 0; i < ms.length; i++) {
            if (latency.known()) {
              ps.setLong(15 + i, ms[i]);
            } else {
              ps.setNull(15 + i, java.sql.Types.BIGINT);
            }
          }
          ps.executeUpdate();
        }
        QualityRows.upsert(c, s, jobName, queryId, batchId, rows.quality());
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + s
                    + ".pipeline_ledger (query_id, sink, batch_id) VALUES (?, ?, ?)")) {
          ps.setString(1, queryId);
          ps.setString(2, SINK);
          ps.setLong(3, batchId);
          ps.executeUpdate();
        }
        c.commit();
        return new Commit(true, latency);
      } catch (SQLException | IOException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailed) {
          e.addSuppressed(rollbackFailed);
        }
        throw e;
      }
    }
  }

  /**
   * Records, next to a committed batch's accounting, how many rows Spark's stateful operators
   * dropped behind the watermark (from the query's progress, known only after the batch).
   */
  public void recordDroppedByWatermark(String queryId, long batchId, long dropped) {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE "
                    + settings.schema()
                    + ".pipeline_batches SET spark_dropped_by_watermark = ?"
                    + " WHERE query_id = ? AND batch_id = ?")) {
      ps.setLong(1, dropped);
      ps.setString(2, queryId);
      ps.setLong(3, batchId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot record batch " + batchId + "'s watermark drops: " + e.getMessage(), e);
    }
  }

  /**
   * Records a batch's check results on their own, outside any batch transaction: for a batch that a
   * check stops, so the reason is durable although nothing of the batch is committed.
   */
  @Override
  public void recordQuality(String queryId, long batchId, List<CheckResult> results) {
    try (Connection c = connect()) {
      QualityRows.upsert(c, settings.schema(), jobName, queryId, batchId, results);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot record batch " + batchId + "'s data-quality results: " + e.getMessage(), e);
    }
  }

  /**
   * Records read by the latest batches of this query before {@code batchId} that read any, newest
   * first: what the volume check compares a batch with. Only committed batches are in the table, so
   * a replayed batch sees the same history as its first attempt.
   */
  @Override
  public List<Long> recentVolumes(String queryId, long batchId, int limit) {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT records_read FROM "
                    + settings.schema()
                    + ".pipeline_batches WHERE query_id = ? AND batch_id < ? AND records_read > 0"
                    + " ORDER BY batch_id DESC LIMIT ?")) {
      ps.setString(1, queryId);
      ps.setLong(2, batchId);
      ps.setInt(3, limit);
      List<Long> volumes = new java.util.ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          volumes.add(rs.getLong(1));
        }
      }
      return volumes;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot read the volumes of the batches before batch " + batchId + ": " + e.getMessage(),
          e);
    }
  }

  private boolean alreadyCommitted(Connection c, String queryId, long batchId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM "
                + settings.schema()
                + ".pipeline_ledger WHERE query_id = ? AND sink = ? AND batch_id = ?")) {
      ps.setString(1, queryId);
      ps.setString(2, SINK);
      ps.setLong(3, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void mergeWindows(Connection c, BatchRows rows, long batchId)
      throws SQLException, IOException {
    String s = settings.schema();
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
    stage(c, "stage_hits_by_host", rows.hostWindows());
    copy(
        c,
        "stage_hits_by_host_referrer",
        rows.referrerWindows().iterator(),
        r -> CsvRows.line(r.get(0), r.get(1), r.get(2), r.isNullAt(3) ? "" : r.get(3), r.get(4)));
    stage(c, "stage_hits_by_host_sliding", rows.slidingWindows());
    stage(c, "stage_sessions", rows.windows().sessions());
    stage(c, "stage_count_windows", rows.windows().countWindows());
    try (Statement st = c.createStatement()) {
      // Tumbling and sliding windows: this batch's hits are added to what the window has.
      addHits(st, "hits_by_host", "window_start, window_end, host", "window_start, host", batchId);
      addHits(
          st,
          "hits_by_host_referrer",
          "window_start, window_end, host, referrer",
          "window_start, host, referrer",
          batchId);
      addHits(
          st,
          "hits_by_host_sliding",
          "window_start, window_end, host",
          "window_start, window_end, host",
          batchId);
      // Sessions carry their whole current value: replace the row, and drop merged sessions.
      st.executeUpdate(
          "DELETE FROM "
              + s
              + ".sessions WHERE session_id IN"
              + " (SELECT session_id FROM stage_sessions WHERE status = '"
              + WindowRows.MERGED
              + "')");
      st.executeUpdate(
          "INSERT INTO "
              + s
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
              + s
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
  private void addHits(Statement st, String table, String columns, String key, long batchId)
      throws SQLException {
    st.executeUpdate(
        "INSERT INTO "
            + settings.schema()
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

  /** COPYs rows into a staging table whose columns are the rows' fields, in order. */
  private static void stage(Connection c, String table, List<Row> rows)
      throws SQLException, IOException {
    copy(
        c,
        table,
        rows.iterator(),
        r -> CsvRows.line(IntStream.range(0, r.size()).mapToObj(r::get).toArray()));
  }

  private void mergeEvents(Connection c, Iterator<Row> events, long batchId)
      throws SQLException, IOException {
    String s = settings.schema();
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMP TABLE stage_events (LIKE " + s + ".processed_events) ON COMMIT DROP");
    }
    copy(
        c,
        "stage_events",
        events,
        r ->
            CsvRows.line(
                r.getAs("dedup_key"),
                r.getAs("event_time"),
                r.getAs("url"),
                r.getAs("referrer"),
                r.getAs("host"),
                r.getAs("ip"),
                r.getAs("ua_family"),
                r.getAs("device_family"),
                r.getAs("os_family"),
                r.getAs("user_id"),
                r.getAs("academy_id"),
                r.getAs("kafka_partition"),
                r.getAs("kafka_offset"),
                batchId,
                r.getAs("country"),
                r.getAs("state"),
                r.getAs("city"),
                r.getAs("site_name"),
                r.getAs("owner"),
                r.getAs("environment")));
    try (Statement st = c.createStatement()) {
      st.executeUpdate(
          "INSERT INTO "
              + s
              + ".processed_events SELECT * FROM stage_events"
              + " ON CONFLICT (dedup_key) DO UPDATE SET event_time = EXCLUDED.event_time,"
              + " url = EXCLUDED.url, referrer = EXCLUDED.referrer, host = EXCLUDED.host,"
              + " ip = EXCLUDED.ip, ua_family = EXCLUDED.ua_family,"
              + " device_family = EXCLUDED.device_family, os_family = EXCLUDED.os_family,"
              + " user_id = EXCLUDED.user_id, academy_id = EXCLUDED.academy_id,"
              + " kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset,"
              + " batch_id = EXCLUDED.batch_id, country = EXCLUDED.country,"
              + " state = EXCLUDED.state, city = EXCLUDED.city, site_name = EXCLUDED.site_name,"
              + " owner = EXCLUDED.owner, environment = EXCLUDED.environment");
    }
  }

  private static void copy(
      Connection c,
      String table,
      Iterator<Row> rows,
      java.util.function.Function<Row, String> toLine)
      throws SQLException, IOException {
    c.unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn("COPY " + table + " FROM STDIN (FORMAT csv)", CsvRows.reader(rows, toLine));
  }

  /** Where the data-quality results are, for messages. */
  @Override
  public String qualityTable() {
    return settings.schema() + "." + QualityRows.TABLE;
  }

  String schema() {
    return settings.schema();
  }

  Connection connect() throws SQLException {
    return connect(settings.user(), settings.password());
  }

  private Connection connectAsMigrator() throws SQLException {
    return connect(settings.migrateUser(), settings.migratePassword());
  }

  private Connection connect(String user, java.util.Optional<PipelineConfig.Secret> password)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    password.ifPresent(pw -> p.setProperty("password", pw.value()));
    p.setProperty("ApplicationName", jobName);
    return DriverManager.getConnection(settings.url(), p);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
