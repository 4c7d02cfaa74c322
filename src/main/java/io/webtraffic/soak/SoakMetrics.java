package io.webtraffic.soak;

import io.webtraffic.job.BatchReport;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * What a soak run watches, grouped into intervals: each batch's duration and state rows (from the
 * query progress), records read (from the job's batch reports), Kafka lag (end offsets minus
 * records read) sampled every second, and the heap used after a full collection at the end of each
 * interval: the live set. (Heap used between collections climbs for minutes under G1 until a
 * concurrent cycle runs, which says nothing about a leak; one explicit GC per interval does.)
 */
final class SoakMetrics {
  /** One interval of the report. */
  record Interval(
      Instant end,
      int batches,
      double medianBatchMs,
      double maxBatchMs,
      double heapAfterGcBytes,
      double stateRows,
      double meanLag,
      long read) {}

  private final List<long[]> batches = new ArrayList<>(); // {durationMs, stateRows}
  private final List<Interval> intervals = new ArrayList<>();
  private long read;
  private long stateRows;
  private LongSupplier kafkaEnd;
  private Instant intervalStart;
  private Duration length;
  private double lagSum;
  private long lagSamples;

  synchronized void onBatch(BatchReport report) {
    read += report.counts().read();
  }

  synchronized long read() {
    return read;
  }

  StreamingQueryListener listener() {
    return new StreamingQueryListener() {
      @Override
      public void onQueryStarted(QueryStartedEvent event) {}

      @Override
      public void onQueryProgress(QueryProgressEvent event) {
        long rows =
            Arrays.stream(event.progress().stateOperators())
                .mapToLong(StateOperatorProgress::numRowsTotal)
                .sum();
        Long ms = event.progress().durationMs().get("triggerExecution");
        if (event.progress().numInputRows() > 0 && ms != null) {
          addBatch(ms, rows);
        }
      }

      @Override
      public void onQueryTerminated(QueryTerminatedEvent event) {}
    };
  }

  private synchronized void addBatch(long ms, long rows) {
    stateRows = rows;
    if (intervalStart != null) {
      batches.add(new long[] {ms, rows});
    }
  }

  synchronized void startIntervals(Duration every, LongSupplier kafkaEndOffsets) {
    this.kafkaEnd = kafkaEndOffsets;
    this.length = every;
    this.intervalStart = Instant.now();
  }

  /** One sample of heap and lag; closes the interval when it is over. */
  void sample(Instant now) {
    long end = kafkaEnd.getAsLong();
    synchronized (this) {
      lagSum += Math.max(0, end - read);
      lagSamples++;
      if (!now.isBefore(intervalStart.plus(length))) {
        closeInterval(now);
      }
    }
  }

  synchronized void closeInterval(Instant now) {
    if (lagSamples == 0) {
      return;
    }
    System.gc(); // a full collection: what stays is the live set
    double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    double[] ms = batches.stream().mapToDouble(b -> b[0]).sorted().toArray();
    intervals.add(
        new Interval(
            now,
            ms.length,
            ms.length == 0 ? 0 : ms[ms.length / 2],
            ms.length == 0 ? 0 : ms[ms.length - 1],
            heap,
            stateRows,
            lagSum / lagSamples,
            read));
    batches.clear();
    lagSum = 0;
    lagSamples = 0;
    intervalStart = now;
  }

  synchronized List<Interval> intervals() {
    return List.copyOf(intervals);
  }

  /** The report as a Markdown table, ready for the README. */
  static String table(List<Interval> intervals) {
    StringBuilder sb =
        new StringBuilder(
            "| interval | batches | batch ms (median / max) | heap after GC (MB) | state rows |"
                + " Kafka lag, mean (records) | records read |\n"
                + "|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < intervals.size(); i++) {
      Interval v = intervals.get(i);
      sb.append(
          String.format(
              "| %d | %d | %.0f / %.0f | %.0f | %.0f | %.0f | %d |%n",
              i + 1,
              v.batches(),
              v.medianBatchMs(),
              v.maxBatchMs(),
              v.heapAfterGcBytes() / 1e6,
              v.stateRows(),
              v.meanLag(),
              v.read()));
    }
    return sb.toString();
  }
}
