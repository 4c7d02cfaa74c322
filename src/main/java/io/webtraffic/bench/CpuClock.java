package io.webtraffic.bench;

import java.lang.management.ManagementFactory;

/** CPU time of this JVM, where the job runs: driver, executors, Kafka client, GC. */
final class CpuClock {
  private CpuClock() {}

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Heap in use after a GC: what the run left resident. */
  static long heapUsedAfterGc() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
