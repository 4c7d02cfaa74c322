package io.webtraffic.generate;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Holds each record back until it is due in real time, so a run at 100/s sends 100 records per
 * wall-clock second and the simulated clock keeps pace with the real one. Due times come from the
 * first call, not from the previous record, so a slow send is caught up instead of accumulating as
 * drift. Waiting is the point here: it parks, never spins.
 */
public final class Pacer {
  /** Longest single park, so a stop request is noticed quickly even at very low rates. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final SimulatedClock schedule;
  private long originNanos;
  private boolean started;

  private Pacer(SimulatedClock schedule) {
    this.schedule = schedule;
  }

  /** Sends as fast as the producer takes records; the simulated times are unaffected. */
  public static Pacer unpaced() {
    return new Pacer(null);
  }

  public static Pacer atRate(double ratePerSecond) {
    return new Pacer(new SimulatedClock(Instant.EPOCH, ratePerSecond));
  }

  public boolean paced() {
    return schedule != null;
  }

  /**
   * Waits until record {@code index} (counted from the first record this pacer saw) is due.
   *
   * @return false if {@code stopRequested} turned true or the thread was interrupted while waiting
   */
  public boolean awaitTurn(long index, BooleanSupplier stopRequested) {
    if (schedule == null) {
      return true;
    }
    if (!started) {
      originNanos = System.nanoTime();
      started = true;
    }
    long dueNanos = originNanos + schedule.offsetNanos(index);
    long remaining;
    while ((remaining = dueNanos - System.nanoTime()) > 0) {
      if (stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(Math.min(remaining, MAX_PARK_NANOS));
    }
    return true;
  }
}
