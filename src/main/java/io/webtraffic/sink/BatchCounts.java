package io.webtraffic.sink;

import io.webtraffic.transform.Classify;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

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

  /**
   * The counts from a classified batch grouped by at least outcome, reason (dead or filter reason),
   * kept, with the group's size in {@code count}.
   */
  static BatchCounts of(List<Row> groups) {
    Map<String, Long> byOutcome = new TreeMap<>();
    Map<String, Long> deadBy = new TreeMap<>();
    Map<String, Long> filteredBy = new TreeMap<>();
    long keptButLate = 0;
    for (Row r : groups) {
      String outcome = r.getAs("outcome");
      long n = r.<Long>getAs("count");
      byOutcome.merge(outcome, n, Long::sum);
      if (outcome.equals(Classify.DEAD)) {
        deadBy.merge(r.getAs("reason"), n, Long::sum);
      } else if (outcome.equals(Classify.FILTERED)) {
        filteredBy.merge(r.getAs("reason"), n, Long::sum);
      } else if (outcome.equals(Classify.LATE) && r.<Boolean>getAs("kept")) {
        keptButLate += n;
      }
    }
    long read = byOutcome.values().stream().mapToLong(Long::longValue).sum();
    return new BatchCounts(
        read,
        byOutcome.getOrDefault(Classify.EVENT, 0L),
        byOutcome.getOrDefault(Classify.DUPLICATE, 0L),
        byOutcome.getOrDefault(Classify.LATE, 0L),
        byOutcome.getOrDefault(Classify.DEAD, 0L),
        byOutcome.getOrDefault(Classify.FILTERED, 0L),
        deadBy,
        filteredBy,
        keptButLate);
  }
}
