package io.webtraffic.generate;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a run generated, per kind: the expected side of the pipeline's accounting invariant.
 *
 * @param counts records per kind, every kind present
 * @param jittered VALID records whose event time was moved back (out of order)
 * @param firstNominal nominal time of the first record, or null when none was generated
 * @param lastNominal nominal time of the last record, or null when none was generated
 */
public record GenerationSummary(
    Map<Kind, Long> counts, long jittered, Instant firstNominal, Instant lastNominal) {

  public GenerationSummary {
    EnumMap<Kind, Long> complete = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      complete.put(kind, counts.getOrDefault(kind, 0L));
    }
    counts = Collections.unmodifiableMap(complete);
  }

  public long count(Kind kind) {
    return counts.get(kind);
  }

  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** A small fixed-width table for the terminal. */
  public String toTable() {
    StringBuilder table = new StringBuilder(String.format("%-10s %12s%n", "kind", "records"));
    for (Kind kind : Kind.values()) {
      table.append(String.format("%-10s %12d", kind, count(kind)));
      if (kind == Kind.VALID && jittered > 0) {
        table.append(String.format("  (%d out of order)", jittered));
      }
      table.append(System.lineSeparator());
    }
    table.append(String.format("%-10s %12d%n", "total", total()));
    if (firstNominal != null) {
      table.append(String.format("nominal time %s .. %s%n", firstNominal, lastNominal));
    }
    return table.toString();
  }
}
