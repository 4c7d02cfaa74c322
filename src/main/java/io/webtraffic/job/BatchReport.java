package io.webtraffic.job;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.batch.KafkaTimes;
import io.webtraffic.batch.Watermarks;
import io.webtraffic.quality.CheckResult;
import io.webtraffic.sink.IcebergSink;
import java.time.Instant;
import java.util.List;

/**
 * One line of progress: what a batch read, where it went, how its checks came out, and its latency
 * from Kafka timestamp to commit.
 */
public record BatchReport(
    long batchId,
    BatchCounts counts,
    IcebergSink.Written iceberg,
    int postgresWindowRows,
    boolean postgresCommitted,
    Watermarks watermarks,
    long durationMs,
    List<CheckResult> quality,
    KafkaTimes.Latency latency,
    PhaseTimings phases) {

  /** The checks this batch failed (and was committed anyway: their action is record or warn). */
  public List<String> failedChecks() {
    return quality.stream().filter(r -> !r.passed()).map(CheckResult::check).toList();
  }

  @Override
  public String toString() {
    return String.format(
        "batch %d: read %d | events %d | duplicates %d | filtered %d | late %d | dead-lettered %d"
            + " | iceberg events %d, late %d, dead %d, windows %d+%d+%d, sessions %d, count windows"
            + " %d | postgres window rows %d%s"
            + " | %d ms (run %d, windows %d, iceberg %d, postgres %d) | watermark %s%s%s",
        batchId,
        counts.read(),
        counts.events(),
        counts.duplicates(),
        counts.filtered(),
        counts.late(),
        counts.dead(),
        iceberg.events(),
        iceberg.late(),
        iceberg.dead(),
        iceberg.hostWindows(),
        iceberg.referrerWindows(),
        iceberg.slidingWindows(),
        iceberg.sessions(),
        iceberg.countWindows(),
        postgresWindowRows,
        postgresCommitted ? "" : " (already committed)",
        durationMs,
        phases.classifyMs(),
        phases.windowsMs(),
        phases.icebergMs(),
        phases.postgresMs(),
        Instant.ofEpochMilli(watermarks.currentMs()),
        latency.known() ? " | latency p99 " + latency.p99Ms() + " ms" : "",
        failedChecks().isEmpty() ? "" : " | failed checks " + String.join(", ", failedChecks()));
  }

  /**
   * Where a batch's time in foreachBatch went, in milliseconds: running the batch (the stateful
   * operators and their state commits included) and summarizing its outcomes; the quality gates and
   * the window increments and totals; the Iceberg commits; the PostgreSQL transaction. The
   * benchmark's per-batch overhead breakdown reads these.
   */
  public record PhaseTimings(long classifyMs, long icebergMs, long windowsMs, long postgresMs) {}
}
