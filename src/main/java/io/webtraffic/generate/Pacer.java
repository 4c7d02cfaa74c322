package io.webtraffic.generate;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Holds each record back until it is due in real time, so a run at 100/s sends 100 records per
 * wall-clock second and the simulated clock keeps pace with the real one. Due times come from the
 * first call, not from the previous record, so a slow send is caught up instead of accumulating as
 * drift. Waiting is the point here: it parks, never spins.
 *
 * <p>A replaying pacer ({@link #replaying}) runs the simulated clock {@code speed} times faster
 * than the real one from a start in the past until it reaches the present, then keeps pace with it:
 * a record is never sent before its nominal time. Such a run is a producer catching up on a
 * backlog, so each record is stamped with the time it is sent, not its nominal time.
 */
public final class Pacer {
  /** Longest single park, so a stop request is noticed quickly even at very low rates. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final long NANOS_PER_MILLI = 1_000_000;

  private final SimulatedClock schedule;
  private final double speed;
  private final Instant start;
  private final LongSupplier wallMillis;
  private long originNanos;
  private long originWallMillis;
  private boolean started;

  private Pacer(SimulatedClock schedule, double speed, Instant start, LongSupplier wallMillis) {
    this.schedule = schedule;
    this.speed = speed;
    this.start = start;
    this.wallMillis = wallMillis;
  }

  /** Sends as fast as the producer takes records; the simulated times are unaffected. */
  public static Pacer unpaced() {
    return new Pacer(null, 1, null, System::currentTimeMillis);
  }

  public static Pacer atRate(double ratePerSecond) {
    return new Pacer(
        new SimulatedClock(Instant.EPOCH, ratePerSecond), 1, null, System::currentTimeMillis);
  }

  /**
   * Sends records of a clock starting at {@code start} at {@code ratePerSecond x speed} per real
   * second until their nominal time catches up with the real time, then at {@code ratePerSecond}.
   *
   * @param speed simulated seconds per real second while behind, at least 1
   */
  public static Pacer replaying(double ratePerSecond, double speed, Instant start) {
    return replaying(ratePerSecond, speed, start, System::currentTimeMillis);
  }

  static Pacer replaying(
      double ratePerSecond, double speed, Instant start, LongSupplier wallMillis) {
    if (!(speed >= 1) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException(
          "Invalid speed: "
              + speed
              + " (must be a number >= 1: simulated seconds per real second)");
    }
    return new Pacer(new SimulatedClock(Instant.EPOCH, ratePerSecond), speed, start, wallMillis);
  }

  public boolean paced() {
    return schedule != null;
  }

  /**
   * The Kafka timestamp of a record with nominal time {@code nominalMs}, sent now: the nominal time
   * (reproducible), or the send time when replaying a backlog.
   */
  public long timestampMs(long nominalMs) {
    return start == null ? nominalMs : wallMillis.getAsLong();
  }

  /**
   * Nanoseconds after the first record at which record {@code index} is due: its simulated offset
   * divided by the speed, but never before its nominal time has come in real time.
   */
  long dueAfterNanos(long index) {
    long offset = schedule.offsetNanos(index);
    if (start == null) {
      return offset;
    }
    long accelerated = (long) (offset / speed);
    long nominalFromOrigin =
        (start.toEpochMilli() - originWallMillis) * NANOS_PER_MILLI
            + start.getNano() % NANOS_PER_MILLI
            + offset;
    return Math.max(accelerated, nominalFromOrigin);
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
      originWallMillis = wallMillis.getAsLong();
      started = true;
    }
    long dueNanos = originNanos + dueAfterNanos(index);
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
