package io.webtraffic.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.soak.Growth.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthTest {
  final Growth growth = new Growth(1.5, 100);

  @Test
  void aMeasureThatLevelsOffAfterWarmUpIsBounded() {
    assertEquals(Verdict.BOUNDED, growth.of(List.of(10.0, 900.0, 1000.0, 950.0, 1020.0)));
  }

  @Test
  void aMeasureThatKeepsClimbingIsGrowing() {
    assertEquals(Verdict.GROWING, growth.of(List.of(10.0, 1000.0, 1400.0, 1800.0, 2200.0)));
  }

  @Test
  void smallAbsoluteChangesAreNoiseEvenWhenTheRatioIsLarge() {
    assertEquals(Verdict.BOUNDED, growth.of(List.of(0.0, 2.0, 5.0, 9.0, 30.0)));
  }

  @Test
  void aSpikeThatComesBackDownIsBounded() {
    assertEquals(Verdict.BOUNDED, growth.of(List.of(5.0, 1000.0, 3000.0, 1000.0, 900.0)));
  }

  @Test
  void oneSteadyIntervalIsTooShortToJudge() {
    assertEquals(Verdict.TOO_SHORT, growth.of(List.of(1.0, 2.0)));
  }

  @Test
  void theSlopeIsTheLeastSquaresOne() {
    assertEquals(2.0, Growth.slope(List.of(1.0, 3.0, 5.0, 7.0)), 1e-9);
  }
}
