package io.webtraffic.local;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits for a condition that has no event to block on, always with a deadline. */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(50);

  private Await() {}

  public static void until(BooleanSupplier condition, Duration timeout, String what)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        throw new TimeoutException(
            String.format("Timed out after %d ms waiting for %s", timeout.toMillis(), what));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + what, e);
      }
    }
  }
}
