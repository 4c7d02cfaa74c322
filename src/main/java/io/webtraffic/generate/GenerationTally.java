package io.webtraffic.generate;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts records as they are sent, for the {@link GenerationSummary} at the end. Not thread-safe.
 */
public final class GenerationTally {
  private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
  private long jittered;
  private long firstNominalMs = Long.MIN_VALUE;
  private long lastNominalMs = Long.MIN_VALUE;
  private long total;

  public void add(GeneratedRecord record) {
    counts.merge(record.kind(), 1L, Long::sum);
    if (record.jittered()) {
      jittered++;
    }
    if (total == 0) {
      firstNominalMs = record.timestampMs();
    }
    lastNominalMs = record.timestampMs();
    total++;
  }

  public long total() {
    return total;
  }

  public GenerationSummary summary() {
    return new GenerationSummary(
        counts,
        jittered,
        total == 0 ? null : Instant.ofEpochMilli(firstNominalMs),
        total == 0 ? null : Instant.ofEpochMilli(lastNominalMs));
  }

  /** Tallies a whole sequence: the summary a run over it will report. */
  public static GenerationSummary of(Iterable<GeneratedRecord> records) {
    GenerationTally tally = new GenerationTally();
    records.forEach(tally::add);
    return tally.summary();
  }
}
