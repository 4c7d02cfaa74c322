package io.webtraffic.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One benchmark case's repeated results in one unit, e.g. events/s of three runs of the read-only
 * query. The table shows the median and the min–max spread.
 */
public record Measurement(String section, String name, String unit, List<Double> values) {
  public Measurement {
    values = List.copyOf(values);
  }

  public static Measurement of(String section, String name, String unit, double... values) {
    return new Measurement(section, name, unit, Arrays.stream(values).boxed().toList());
  }

  public double median() {
    return Stats.median(values);
  }

  public double min() {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  public double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
