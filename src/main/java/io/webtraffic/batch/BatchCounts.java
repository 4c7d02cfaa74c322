package io.webtraffic.batch;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to one micro-batch's records. {@code read} always equals the sum of the outcomes;
 * {@code keptButLate} must be zero, else the job's model of Spark's watermark is wrong and the
 * batch is refused before anything is committed.
 */
public record BatchCounts(
    long read,
    long events,
    long duplicates,
    long late,
    long dead,
    long filtered,
    Map<String, Long> deadByReason,
    Map<String, Long> filteredByReason,
    long keptButLate) {

  public BatchCounts {
    deadByReason = Collections.unmodifiableSortedMap(new TreeMap<>(deadByReason));
    filteredByReason = Collections.unmodifiableSortedMap(new TreeMap<>(filteredByReason));
  }

  /**
   * The counts of a batch whose records were dead, filtered, late or candidates, and whose
   * deduplication kept {@code events} of the candidates: the rest of them were duplicates.
   *
   * @throws IllegalStateException when more events were kept than there were candidates
   */
  public static BatchCounts of(
      long candidates,
      long events,
      long late,
      Map<String, Long> deadByReason,
      Map<String, Long> filteredByReason,
      long keptButLate) {
    if (events > candidates) {
      throw new IllegalStateException(
          "The deduplication kept " + events + " events of " + candidates + " candidates");
    }
    long dead = deadByReason.values().stream().mapToLong(Long::longValue).sum();
    long filtered = filteredByReason.values().stream().mapToLong(Long::longValue).sum();
    return new BatchCounts(
        candidates + late + dead + filtered,
        events,
        candidates - events,
        late,
        dead,
        filtered,
        deadByReason,
        filteredByReason,
        keptButLate);
  }
}
