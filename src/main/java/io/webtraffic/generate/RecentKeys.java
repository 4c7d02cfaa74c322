package io.webtraffic.generate;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * Remembers the dedup keys handed out for recent event times, so two distinct events never share a
 * key by accident (the pipeline would drop one as a duplicate and the counts would no longer add
 * up). Two events can only share a key if they share an event time, so keys are kept per event time
 * and forgotten once no later event can reach back to that time: {@code horizonMs} before the
 * current reference time. Memory therefore grows with rate x max jitter (about 3,000 keys at the
 * defaults).
 */
final class RecentKeys {
  private final long horizonMs;
  private final TreeMap<Long, Set<Long>> fingerprintsByTime = new TreeMap<>();

  RecentKeys(long horizonMs) {
    this.horizonMs = horizonMs;
  }

  /**
   * Claims the key ({@code eventMs}, {@code fingerprint}); false if it was handed out already.
   *
   * @param referenceMs the time claims are made at: no claim from now on has an event time before
   *     {@code referenceMs - horizonMs}
   */
  boolean claim(long eventMs, long fingerprint, long referenceMs) {
    fingerprintsByTime.headMap(referenceMs - horizonMs).clear();
    return fingerprintsByTime.computeIfAbsent(eventMs, time -> new HashSet<>()).add(fingerprint);
  }
}
