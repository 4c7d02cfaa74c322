package io.webtraffic.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PacerTest {

  @Test
  void holdsRecordsBackUntilTheyAreDue() {
    Pacer pacer = Pacer.atRate(100);
    long started = System.nanoTime();

    for (int index = 0; index <= 10; index++) {
      assertTrue(pacer.awaitTurn(index, () -> false));
    }

    // record 10 is due 100 ms after record 0; only a lower bound is safe on a busy machine
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 100);
  }

  @Test
  void letsRecordsThroughAtOnceWhenUnpaced() {
    Pacer pacer = Pacer.unpaced();
    long started = System.nanoTime();

    for (int index = 0; index < 10_000; index++) {
      assertTrue(pacer.awaitTurn(index, () -> false));
    }

    assertFalse(pacer.paced());
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1_000);
  }

  @Test
  void stopsWaitingWhenAStopIsRequested() {
    Pacer pacer = Pacer.atRate(0.001); // one record every 1000 s
    pacer.awaitTurn(0, () -> false);
    long started = System.nanoTime();

    assertFalse(pacer.awaitTurn(1, () -> true));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1_000);
  }

  @Test
  void aReplayRunsFasterThanRealTimeUntilItCatchesUpThenKeepsPace() {
    // 10 records per simulated second, 10 times real time, from 60 s before the first send: record
    // i's nominal time is 100 ms x i after the start, accelerated 10 ms x i after the first send.
    long wall = Instant.parse("2026-12-01T12:01:00Z").toEpochMilli();
    Pacer pacer = Pacer.replaying(10, 10, Instant.parse("2026-12-01T12:00:00Z"), () -> wall + 7);
    assertTrue(pacer.awaitTurn(0, () -> false));

    assertEquals(0, pacer.dueAfterNanos(0));
    // behind real time: 600 records (60 simulated s) in 6 real s
    assertEquals(TimeUnit.SECONDS.toNanos(6), pacer.dueAfterNanos(600));
    // caught up at 60 s / (1 - 1/10) = 66.7 simulated s; record 1000 (100 s) waits for its
    // nominal time, 40 s after the first send (which happened at wall + 7 ms)
    assertEquals(TimeUnit.MILLISECONDS.toNanos(40_000 - 7), pacer.dueAfterNanos(1000));
    // stamped with the send time, not the nominal time
    assertEquals(wall + 7, pacer.timestampMs(wall - 60_000));
    assertEquals(123, Pacer.atRate(10).timestampMs(123));
  }

  @Test
  void refusesASpeedBelowOne() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Pacer.replaying(10, 0.5, Instant.EPOCH));
    assertEquals(
        "Invalid speed: 0.5 (must be a number >= 1: simulated seconds per real second)",
        e.getMessage());
  }
}
