package io.webtraffic.soak;

import java.util.List;

/**
 * Whether a measure, one value per interval of a soak run, grows without bound. The first interval
 * is warm-up (JIT, caches, state filling up to the watermark) and is left out. A measure grows when
 * its least-squares slope over the remaining intervals is positive and its last value exceeds the
 * first by more than {@code ratio} times and by more than {@code floor} (so that noise around a
 * small value, such as a lag of a few records, is not called growth).
 */
public record Growth(double ratio, double floor) {

  public enum Verdict {
    BOUNDED,
    GROWING,
    TOO_SHORT
  }

  public Verdict of(List<Double> perInterval) {
    List<Double> steady = perInterval.subList(Math.min(1, perInterval.size()), perInterval.size());
    if (steady.size() < 2) {
      return Verdict.TOO_SHORT;
    }
    double first = steady.get(0);
    double last = steady.get(steady.size() - 1);
    boolean muchHigher = last > first * ratio && last - first > floor;
    return slope(steady) > 0 && muchHigher ? Verdict.GROWING : Verdict.BOUNDED;
  }

  /** Least-squares slope of the values against their index. */
  static double slope(List<Double> values) {
    int n = values.size();
    double meanX = (n - 1) / 2.0;
    double meanY = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      num += (i - meanX) * (values.get(i) - meanY);
      den += (i - meanX) * (i - meanX);
    }
    return den == 0 ? 0 : num / den;
  }
}
