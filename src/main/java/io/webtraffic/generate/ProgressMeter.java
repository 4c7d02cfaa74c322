package io.webtraffic.generate;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Reports progress at most every {@code every} of wall-clock time, with the rate since the previous
 * report.
 */
final class ProgressMeter {
  private final long everyNanos;
  private final Consumer<WriteProgress> listener;
  private long lastNanos = System.nanoTime();
  private long lastSent;

  ProgressMeter(Duration every, Consumer<WriteProgress> listener) {
    this.everyNanos = every.toNanos();
    this.listener = listener;
  }

  void sent(long sent, long nominalMs) {
    long now = System.nanoTime();
    if (now - lastNanos >= everyNanos) {
      double rate = (sent - lastSent) * 1e9 / (now - lastNanos);
      listener.accept(new WriteProgress(sent, rate, Instant.ofEpochMilli(nominalMs)));
      lastNanos = now;
      lastSent = sent;
    }
  }
}
