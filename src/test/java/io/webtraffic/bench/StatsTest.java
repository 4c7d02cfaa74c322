package io.webtraffic.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void nearestRankPercentilesAreObservedValues() {
    // 1..100 shuffled: the p-th percentile by nearest rank is p itself.
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = (i * 37) % 100 + 1;
    }
    assertEquals(50, Stats.percentile(v, 50));
    assertEquals(99, Stats.percentile(v, 99));
    assertEquals(100, Stats.percentile(v, 100));
    assertEquals(1, Stats.percentile(v, 0));
    // Five values: ceil(0.99 * 5) = 5th, ceil(0.5 * 5) = 3rd.
    assertEquals(40, Stats.percentile(new double[] {40, 10, 30, 20, 5}, 99));
    assertEquals(20, Stats.percentile(new double[] {40, 10, 30, 20, 5}, 50));
  }

  @Test
  void medianOfOddAndEvenSamples() {
    assertEquals(3, Stats.median(new double[] {5, 1, 3}));
    assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
  }

  @Test
  void emptySampleIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new double[0], 50));
    assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
  }
}
