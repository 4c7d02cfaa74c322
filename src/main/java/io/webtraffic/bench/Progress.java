package io.webtraffic.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** The progress reports of one finished query, and what the benchmark reads from them. */
final class Progress {
  private final List<StreamingQueryProgress> all;

  Progress(StreamingQuery query) {
    this.all = Arrays.asList(query.recentProgress());
  }

  /** Batches that read something; no-data batches (watermark moves only) are left out. */
  List<StreamingQueryProgress> dataBatches() {
    return all.stream().filter(p -> p.numInputRows() > 0).toList();
  }

  long rowsRead() {
    return all.stream().mapToLong(StreamingQueryProgress::numInputRows).sum();
  }

  /** Time the engine spent in triggers, no-data batches included: the query's processing time. */
  long triggerMillis() {
    return all.stream().mapToLong(p -> phase(p, "triggerExecution")).sum();
  }

  /** Rows per second of trigger time; 0 when the query read nothing. */
  double eventsPerSecond() {
    long ms = triggerMillis();
    return ms == 0 ? 0 : rowsRead() * 1000.0 / ms;
  }

  static long phase(StreamingQueryProgress p, String name) {
    Map<String, Long> d = p.durationMs();
    Long v = d.get(name);
    return v == null ? 0 : v;
  }

  static long stateCommitMillis(StreamingQueryProgress p) {
    return Arrays.stream(p.stateOperators()).mapToLong(StateOperatorProgress::commitTimeMs).sum();
  }

  static long stateRows(StreamingQueryProgress p) {
    return Arrays.stream(p.stateOperators()).mapToLong(StateOperatorProgress::numRowsTotal).sum();
  }

  static long stateMemoryBytes(StreamingQueryProgress p) {
    return Arrays.stream(p.stateOperators())
        .mapToLong(StateOperatorProgress::memoryUsedBytes)
        .sum();
  }
}
