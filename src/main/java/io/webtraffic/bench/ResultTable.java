package io.webtraffic.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's results: every measurement, and ratios between measurements of the same run. A
 * ratio over a bound that is missing or measured zero throws instead of printing a number over
 * nothing.
 */
public final class ResultTable {
  private final Map<String, Measurement> measurements = new LinkedHashMap<>();
  private final List<Ratio> ratios = new ArrayList<>();
  private final List<Limit> limits = new ArrayList<>();

  /** An absolute target on a measurement's median, e.g. per-batch overhead ≤ 300 ms. */
  public record Limit(String label, double value, String unit, double atMost) {
    public boolean met() {
      return value <= atMost;
    }
  }

  /** Adds and returns the limit check; a missing measurement throws. */
  public Limit atMost(String label, String name, double atMost) {
    Measurement m = require(name, "case");
    Limit limit = new Limit(label, m.median(), m.unit(), atMost);
    limits.add(limit);
    return limit;
  }

  public List<Limit> limits() {
    return List.copyOf(limits);
  }

  /**
   * {@code numerator ÷ denominator}: the ratio of the medians, and the range of the run-by-run
   * ratios (run i over run i) when both ran equally often.
   */
  public record Ratio(
      String label, double value, double min, double max, Optional<Double> atLeast) {
    public boolean met() {
      return atLeast.map(t -> value >= t).orElse(true);
    }
  }

  public void add(Measurement m) {
    if (m.values().isEmpty()) {
      throw new MissingBoundException("Case '" + m.name() + "' produced no measurement");
    }
    measurements.put(m.name(), m);
  }

  public Optional<Measurement> get(String name) {
    return Optional.ofNullable(measurements.get(name));
  }

  public List<Measurement> measurements() {
    return List.copyOf(measurements.values());
  }

  public List<Ratio> ratios() {
    return List.copyOf(ratios);
  }

  /** Adds and returns the ratio; throws {@link MissingBoundException} for a missing/zero bound. */
  public Ratio ratio(String label, String numerator, String denominator, Double atLeast) {
    Measurement den = require(denominator, "bound");
    Measurement num = require(numerator, "case");
    double[] runRatios = new double[0];
    if (num.values().size() == den.values().size()) {
      runRatios = new double[num.values().size()];
      for (int i = 0; i < runRatios.length; i++) {
        runRatios[i] = num.values().get(i) / den.values().get(i);
      }
    }
    double value = num.median() / den.median();
    Ratio ratio =
        new Ratio(
            label,
            value,
            runRatios.length == 0 ? value : java.util.Arrays.stream(runRatios).min().orElseThrow(),
            runRatios.length == 0 ? value : java.util.Arrays.stream(runRatios).max().orElseThrow(),
            Optional.ofNullable(atLeast));
    ratios.add(ratio);
    return ratio;
  }

  private Measurement require(String name, String role) {
    Measurement m = measurements.get(name);
    if (m == null) {
      throw new MissingBoundException(
          "Cannot compute a ratio: the " + role + " run '" + name + "' is missing");
    }
    for (double v : m.values()) {
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new MissingBoundException(
            "Cannot compute a ratio: the "
                + role
                + " run '"
                + name
                + "' measured "
                + v
                + " "
                + m.unit());
      }
    }
    return m;
  }

  /** The measurements grouped by section, then the ratios with their targets. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    String section = null;
    for (Measurement m : measurements.values()) {
      if (!m.section().equals(section)) {
        section = m.section();
        md.append("\n### ").append(section).append("\n\n");
        md.append("| case | median | min–max | unit | runs |\n|---|---:|---:|---|---:|\n");
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s–%s | %s | %d |%n",
              m.name(),
              number(m.median()),
              number(m.min()),
              number(m.max()),
              m.unit(),
              m.values().size()));
    }
    if (!ratios.isEmpty()) {
      md.append("\n### Ratios\n\n| ratio | median | min–max (run by run) | target | met |\n");
      md.append("|---|---:|---:|---:|---|\n");
      for (Ratio r : ratios) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %.2f | %.2f–%.2f | %s | %s |%n",
                r.label(),
                r.value(),
                r.min(),
                r.max(),
                r.atLeast().map(t -> String.format(Locale.ROOT, "≥ %.2f", t)).orElse(""),
                r.atLeast().isEmpty() ? "" : r.met() ? "yes" : "**no**"));
      }
    }
    if (!limits.isEmpty()) {
      md.append("\n### Limits\n\n| target | median | limit | met |\n|---|---:|---:|---|\n");
      for (Limit l : limits) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s %s | ≤ %s | %s |%n",
                l.label(),
                number(l.value()),
                l.unit(),
                number(l.atMost()),
                l.met() ? "yes" : "**no**"));
      }
    }
    return md.toString();
  }

  /** Three significant digits, no exponent: 123456 → 123456, 12.345 → 12.3, 0.01234 → 0.0123. */
  static String number(double v) {
    if (v == 0) {
      return "0";
    }
    if (Double.isNaN(v)) {
      return "NaN";
    }
    double abs = Math.abs(v);
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (abs >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(3))
        .stripTrailingZeros()
        .toPlainString();
  }
}
