package io.webtraffic.bench;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics over a sample: median and spread of repeated runs, latency percentiles. */
public final class Stats {
  private Stats() {}

  /**
   * The nearest-rank percentile ({@code p} in 0..100): the smallest value with at least p% of the
   * sample at or below it. No interpolation, so every reported latency was really observed.
   */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("Cannot take a percentile of an empty sample");
    }
    if (p < 0 || p > 100) {
      throw new IllegalArgumentException("Percentile must be within 0..100, was " + p);
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** The median: the mean of the two middle values for an even sample. */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("Cannot take the median of an empty sample");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  public static double median(Collection<? extends Number> values) {
    return median(values.stream().mapToDouble(Number::doubleValue).toArray());
  }
}
