package io.webtraffic.generate;

import java.time.Instant;

/**
 * A progress report while writing.
 *
 * @param sent records handed to the producer so far
 * @param recentRate records per second since the previous report
 * @param nominalTime nominal time of the last record sent
 */
public record WriteProgress(long sent, double recentRate, Instant nominalTime) {
  @Override
  public String toString() {
    return String.format(
        "sent %d records (%.1f/s), simulated time %s", sent, recentRate, nominalTime);
  }
}
