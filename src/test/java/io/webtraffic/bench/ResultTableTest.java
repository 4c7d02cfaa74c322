package io.webtraffic.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResultTableTest {
  @Test
  void ratioOfMediansWithRunByRunRange() {
    ResultTable t = new ResultTable();
    t.add(Measurement.of("s", "bound", "events/s", 1000, 800, 1200));
    t.add(Measurement.of("s", "stage", "events/s", 500, 200, 300));
    ResultTable.Ratio r = t.ratio("stage ÷ bound", "stage", "bound", 0.5);
    // medians 300 / 1000; run by run 0.5, 0.25, 0.25
    assertEquals(0.3, r.value(), 1e-12);
    assertEquals(0.25, r.min(), 1e-12);
    assertEquals(0.5, r.max(), 1e-12);
    assertFalse(r.met());
    assertTrue(t.markdown().contains("| stage ÷ bound | 0.30 | 0.25–0.50 | ≥ 0.50 | **no** |"));
  }

  @Test
  void missingBoundFailsInsteadOfPrintingARatio() {
    ResultTable t = new ResultTable();
    t.add(Measurement.of("s", "stage", "events/s", 500));
    MissingBoundException e =
        assertThrows(MissingBoundException.class, () -> t.ratio("x", "stage", "bound", null));
    assertTrue(e.getMessage().contains("'bound' is missing"), e.getMessage());
  }

  @Test
  void boundThatMeasuredNothingFails() {
    ResultTable t = new ResultTable();
    t.add(Measurement.of("s", "bound", "events/s", 1000, 0));
    t.add(Measurement.of("s", "stage", "events/s", 500, 400));
    assertThrows(MissingBoundException.class, () -> t.ratio("x", "stage", "bound", null));
    assertThrows(
        MissingBoundException.class,
        () -> t.add(new Measurement("s", "empty", "events/s", java.util.List.of())));
  }

  @Test
  void limitsCompareTheMedian() {
    ResultTable t = new ResultTable();
    t.add(Measurement.of("s", "overhead", "ms", 250, 900, 280));
    ResultTable.Limit l = t.atMost("overhead ≤ 300 ms", "overhead", 300);
    assertEquals(280, l.value());
    assertTrue(l.met());
    assertTrue(t.markdown().contains("| overhead | 280 | 250–900 | ms | 3 |"), t.markdown());
  }

  @Test
  void numbersKeepThreeSignificantDigits() {
    assertEquals("123457", ResultTable.number(123456.7));
    assertEquals("12.3", ResultTable.number(12.345));
    assertEquals("0.0123", ResultTable.number(0.012345));
    assertEquals("0", ResultTable.number(0));
  }
}
