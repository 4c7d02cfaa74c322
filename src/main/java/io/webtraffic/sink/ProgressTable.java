package io.webtraffic.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code pipeline_progress} table: one row per micro-batch, Spark's progress of the batch
 * (rates, phase durations, watermark, state, Kafka lag) joined with the batch's own accounting,
 * rows per sink and latency. Written by a query listener after the batch; a row is upserted, so
 * writing it twice is harmless.
 */
public final class ProgressTable {
  static final String TABLE = "pipeline_progress";
  private static final Set<String> TIMESTAMPS = Set.of("batch_started_at", "watermark");
  private static final Set<String> JSON = Set.of("sink_rows");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON_WRITER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final PostgresSink postgres;

  public ProgressTable(PostgresSink postgres) {
    this.postgres = postgres;
  }

  static String ddl(String schema) {
    return "CREATE TABLE IF NOT EXISTS "
        + schema
        + "."
        + TABLE
        + " (query_id text NOT NULL, run_id text NOT NULL, batch_id bigint NOT NULL,"
        + " job_name text NOT NULL, batch_started_at timestamptz NOT NULL,"
        + " num_input_rows bigint NOT NULL, input_rows_per_second double precision,"
        + " processed_rows_per_second double precision, trigger_execution_ms bigint,"
        + " add_batch_ms bigint, query_planning_ms bigint, wal_commit_ms bigint,"
        + " commit_offsets_ms bigint, latest_offset_ms bigint, get_batch_ms bigint,"
        + " watermark timestamptz, state_rows bigint, state_memory_bytes bigint,"
        + " kafka_avg_offsets_behind double precision, kafka_max_offsets_behind bigint,"
        + " records_read bigint, events bigint, duplicates bigint, late bigint,"
        + " dead_lettered bigint, filtered bigint, sink_rows jsonb, latency_p50_ms bigint,"
        + " latency_p95_ms bigint, latency_p99_ms bigint, latency_max_ms bigint,"
        + " quality_failed text, recorded_at timestamptz NOT NULL DEFAULT now(),"
        + " PRIMARY KEY (query_id, batch_id))";
  }

  /** Maps (the rows per sink) as JSON, anything else as its text. */
  private static String text(Object value) {
    try {
      return value instanceof Map<?, ?> ? JSON_WRITER.writeValueAsString(value) : value.toString();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Upserts one batch's row; the keys of {@code columns} are the table's column names. */
  public void record(Map<String, Object> columns) {
    String names = String.join(", ", columns.keySet());
    String values =
        columns.keySet().stream()
            .map(
                k ->
                    TIMESTAMPS.contains(k) ? "?::timestamptz" : JSON.contains(k) ? "?::jsonb" : "?")
            .collect(Collectors.joining(", "));
    String updates =
        columns.keySet().stream()
            .filter(k -> !k.equals("query_id") && !k.equals("batch_id"))
            .map(k -> k + " = EXCLUDED." + k)
            .collect(Collectors.joining(", "));
    try (Connection c = postgres.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + postgres.schema()
                    + "."
                    + TABLE
                    + " ("
                    + names
                    + ") VALUES ("
                    + values
                    + ") ON CONFLICT (query_id, batch_id) DO UPDATE SET "
                    + updates)) {
      int i = 1;
      for (Object value : columns.values()) {
        ps.setObject(i++, value == null || value instanceof Number ? value : text(value));
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot record the progress of batch " + columns.get("batch_id") + ": " + e.getMessage(),
          e);
    }
  }
}
