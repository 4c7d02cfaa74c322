package io.webtraffic.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * How big and how often: the default run fits in about 25 minutes on a 2-core machine, {@code
 * --quick} in about 5.
 *
 * @param runs repetitions of each throughput, upsert and state case
 * @param events records preloaded into the shared topic
 * @param batchRecords maxOffsetsPerTrigger of the throughput cases (bounds a batch's memory)
 * @param trickleBatches batches of the per-batch overhead cases
 * @param trickleRecords records per trickle batch
 * @param upsertRows rows per PostgreSQL upsert and COPY run
 * @param triggerSeconds the trigger intervals of the latency/cost curve
 * @param inputSeconds how long events are sent for each trigger interval (same order)
 * @param rate events/s for the curve; 0 means half the full pipeline's measured rate
 */
record BenchSettings(
    int runs,
    long events,
    long batchRecords,
    int trickleBatches,
    int trickleRecords,
    int upsertRows,
    List<Integer> triggerSeconds,
    List<Integer> inputSeconds,
    double rate,
    Path workDir,
    Path outDir) {

  static BenchSettings standard(Path workDir, Path outDir) {
    return new BenchSettings(
        3,
        150_000,
        50_000,
        20,
        5,
        100_000,
        List.of(1, 5, 30, 60),
        List.of(30, 45, 90, 150),
        0,
        workDir,
        outDir);
  }

  static BenchSettings quick(Path workDir, Path outDir) {
    return new BenchSettings(
        2,
        30_000,
        15_000,
        12,
        5,
        20_000,
        List.of(1, 5, 30),
        List.of(10, 15, 35),
        0,
        workDir,
        outDir);
  }

  BenchSettings withRuns(int n) {
    return new BenchSettings(
        n,
        events,
        batchRecords,
        trickleBatches,
        trickleRecords,
        upsertRows,
        triggerSeconds,
        inputSeconds,
        rate,
        workDir,
        outDir);
  }

  BenchSettings withEvents(long n) {
    return new BenchSettings(
        runs,
        n,
        Math.min(batchRecords, n),
        trickleBatches,
        trickleRecords,
        upsertRows,
        triggerSeconds,
        inputSeconds,
        rate,
        workDir,
        outDir);
  }

  BenchSettings withRate(double r) {
    return new BenchSettings(
        runs,
        events,
        batchRecords,
        trickleBatches,
        trickleRecords,
        upsertRows,
        triggerSeconds,
        inputSeconds,
        r,
        workDir,
        outDir);
  }
}
