package io.webtraffic.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Maps a record's index to its nominal time, {@code start + index / rate}. The offset is computed
 * exactly from the index rather than by adding up an interval, so millions of records at a rate
 * like 3/s do not drift.
 */
public final class SimulatedClock {
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  private final Instant start;
  private final BigDecimal rate;

  /**
   * The interval when it is a whole number of nanoseconds (as for 100/s), for a fast exact path;
   * else -1.
   */
  private final long wholeIntervalNanos;

  public SimulatedClock(Instant start, double ratePerSecond) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "Invalid rate: " + ratePerSecond + " (must be a positive number)");
    }
    this.start = start;
    // valueOf goes through Double.toString, so a rate typed as 0.3 is 0.3 here, not its binary
    // approximation
    this.rate = BigDecimal.valueOf(ratePerSecond);
    this.wholeIntervalNanos = wholeInterval(rate);
  }

  /** Nanoseconds from the first record's nominal time to record {@code index}'s, rounded down. */
  public long offsetNanos(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("Invalid index: " + index + " (must be >= 0)");
    }
    if (wholeIntervalNanos > 0) {
      return Math.multiplyExact(index, wholeIntervalNanos);
    }
    return BigDecimal.valueOf(index)
        .multiply(NANOS_PER_SECOND)
        .divide(rate, 0, RoundingMode.FLOOR)
        .longValueExact();
  }

  public Instant nominalTime(long index) {
    return start.plusNanos(offsetNanos(index));
  }

  /**
   * How many records fit in {@code nanos} of simulated time: the count a {@code --duration} run
   * generates.
   */
  public long recordsWithin(long nanos) {
    return BigDecimal.valueOf(nanos)
        .multiply(rate)
        .divide(NANOS_PER_SECOND, 0, RoundingMode.CEILING)
        .longValueExact();
  }

  private static long wholeInterval(BigDecimal rate) {
    BigDecimal[] quotientAndRemainder = NANOS_PER_SECOND.divideAndRemainder(rate);
    return quotientAndRemainder[1].signum() == 0 ? quotientAndRemainder[0].longValueExact() : -1;
  }
}
