package io.webtraffic.batch;

/**
 * Where a batch's Kafka timestamps lie: the earliest and the 1st, 5th and 50th percentiles. The
 * batch's end-to-end latency at its commit follows from them: the p99 latency is the commit time
 * minus the 1st percentile of the timestamps, and so on. {@link #NONE} for a batch without records.
 */
public record KafkaTimes(long minMs, long p01Ms, long p05Ms, long p50Ms) {
  public static final KafkaTimes NONE = new KafkaTimes(-1, -1, -1, -1);

  /** The latency from each record's Kafka timestamp to {@code commitMs}; NONE when no records. */
  public Latency latencyAt(long commitMs) {
    if (this.equals(NONE)) {
      return Latency.NONE;
    }
    return new Latency(commitMs - p50Ms, commitMs - p05Ms, commitMs - p01Ms, commitMs - minMs);
  }

  /**
   * Milliseconds from Kafka timestamp to the batch's commit: median, 95th and 99th percentile,
   * maximum. {@link #NONE} (all -1) when the batch had no records.
   */
  public record Latency(long p50Ms, long p95Ms, long p99Ms, long maxMs) {
    public static final Latency NONE = new Latency(-1, -1, -1, -1);

    public boolean known() {
      return !this.equals(NONE);
    }
  }
}
