package io.webtraffic.generate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
