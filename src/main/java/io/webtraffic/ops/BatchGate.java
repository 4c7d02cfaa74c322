package io.webtraffic.ops;

/**
 * Called at the start of every micro-batch, before any of it runs: where a requested stop can end
 * the query between two batches even when the next one starts right after the last (a job that is
 * behind never idles between triggers).
 */
@FunctionalInterface
public interface BatchGate {
  BatchGate OPEN = batchId -> {};

  /**
   * Returns to let the batch run; throws {@link InterruptedException} when the query is being
   * stopped, which Spark treats as the stop's own interruption: the batch is planned (offset log)
   * but nothing of it ran, and the next start runs it.
   */
  void beforeBatch(long batchId) throws InterruptedException;
}
