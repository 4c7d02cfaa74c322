package io.webtraffic.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webtraffic.sink.IcebergSink;
import io.webtraffic.sink.ProgressTable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each micro-batch, joins Spark's progress of the batch (rates, phase durations, watermark,
 * state, Kafka lag) with the committer's report of it (accounting, rows per sink, latency, failed
 * checks), logs the result as one JSON line and upserts it into {@code pipeline_progress}. The
 * committer runs on the driver before Spark reports the batch, so the report is here in time.
 */
final class ProgressListener extends JobListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.webtraffic.progress");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String jobName;
  private final ProgressTable table;
  private final Map<Long, BatchReport> reports = new ConcurrentHashMap<>();

  ProgressListener(SparkSession spark, String jobName, ProgressTable table) {
    super(spark, jobName);
    this.jobName = jobName;
    this.table = table;
  }

  /** Keeps the committer's report until Spark reports the same batch. */
  void remember(BatchReport report) {
    reports.put(report.batchId(), report);
  }

  @Override
  void onBatch(StreamingQueryProgress progress) {
    Map<String, Object> row = columns(progress, jobName, reports.remove(progress.batchId()));
    try {
      LOG.info("progress {}", JSON.writeValueAsString(row));
      table.record(row);
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("Batch {}: {}", progress.batchId(), e.getMessage());
    }
  }

  /** The progress row: column name to value, in the table's order. */
  static Map<String, Object> columns(
      StreamingQueryProgress progress, String jobName, BatchReport report) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("query_id", progress.id().toString());
    row.put("run_id", progress.runId().toString());
    row.put("batch_id", progress.batchId());
    row.put("job_name", jobName);
    row.put("batch_started_at", progress.timestamp());
    row.put("num_input_rows", progress.numInputRows());
    row.put("input_rows_per_second", finite(progress.inputRowsPerSecond()));
    row.put("processed_rows_per_second", finite(progress.processedRowsPerSecond()));
    Map<String, Long> durations = progress.durationMs();
    for (String phase :
        new String[] {
          "triggerExecution",
          "addBatch",
          "queryPlanning",
          "walCommit",
          "commitOffsets",
          "latestOffset",
          "getBatch"
        }) {
      row.put(snake(phase) + "_ms", durations.get(phase));
    }
    row.put("watermark", progress.eventTime().get("watermark"));
    StateOperatorProgress[] state = progress.stateOperators();
    row.put(
        "state_rows", Arrays.stream(state).mapToLong(StateOperatorProgress::numRowsTotal).sum());
    row.put(
        "state_memory_bytes",
        Arrays.stream(state).mapToLong(StateOperatorProgress::memoryUsedBytes).sum());
    Map<String, String> kafka = sourceMetrics(progress);
    row.put("kafka_avg_offsets_behind", number(kafka.get("avgOffsetsBehindLatest")));
    row.put("kafka_max_offsets_behind", number(kafka.get("maxOffsetsBehindLatest")));
    if (report != null) {
      row.put("records_read", report.counts().read());
      row.put("events", report.counts().events());
      row.put("duplicates", report.counts().duplicates());
      row.put("late", report.counts().late());
      row.put("dead_lettered", report.counts().dead());
      row.put("filtered", report.counts().filtered());
      row.put("sink_rows", sinkRows(report));
      if (report.latency().known()) {
        row.put("latency_p50_ms", report.latency().p50Ms());
        row.put("latency_p95_ms", report.latency().p95Ms());
        row.put("latency_p99_ms", report.latency().p99Ms());
        row.put("latency_max_ms", report.latency().maxMs());
      }
      row.put("quality_failed", String.join(",", report.failedChecks()));
    }
    return row;
  }

  /** Rows this run of the batch wrote per table (0 where an earlier attempt had committed it). */
  private static Map<String, Long> sinkRows(BatchReport report) {
    IcebergSink.Written w = report.iceberg();
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("iceberg.events", w.events());
    rows.put("iceberg.late_events", w.late());
    rows.put("iceberg.dead_letters", w.dead());
    rows.put("iceberg.hits_by_host", w.hostWindows());
    rows.put("iceberg.hits_by_host_referrer", w.referrerWindows());
    rows.put("iceberg.hits_by_host_sliding", w.slidingWindows());
    rows.put("iceberg.sessions", w.sessions());
    rows.put("iceberg.count_windows", w.countWindows());
    rows.put("postgres.window_rows", report.postgresCommitted() ? report.postgresWindowRows() : 0L);
    return rows;
  }

  private static Map<String, String> sourceMetrics(StreamingQueryProgress progress) {
    SourceProgress[] sources = progress.sources();
    return sources.length == 0 || sources[0].metrics() == null ? Map.of() : sources[0].metrics();
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static Number number(String value) {
    if (value == null) {
      return null;
    }
    double d = Double.parseDouble(value);
    return d == Math.rint(d) ? (Number) (long) d : (Number) d;
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
