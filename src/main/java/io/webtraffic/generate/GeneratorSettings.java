package io.webtraffic.generate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Everything that decides a generated stream. Generators built from equal settings emit
 * byte-identical records, so a run is reproduced from its seed and start alone.
 *
 * <p>The duplicate, late, malformed, future and filtered fractions pick a record's {@link Kind} and
 * exclude each other, so they add up to at most 1; the rest is {@link Kind#VALID}. The jitter
 * fraction is the share of VALID records whose event time is moved back (out of order). Durations
 * are used at millisecond precision, the precision of {@code event_time}.
 *
 * @param seed seeds every random choice
 * @param count records to generate, or {@link #UNBOUNDED}
 * @param ratePerSecond records per simulated second (and per real second when paced)
 * @param start nominal time of the first record
 * @param duplicateFraction share of byte-identical re-sends of a recent VALID record
 * @param jitterFraction share of VALID records whose event time lies up to {@code maxJitter} before
 *     their nominal time
 * @param maxJitter largest backwards jitter
 * @param lateFraction share of records whose event time is {@code lateBy} before their nominal time
 * @param lateBy how late a LATE record is
 * @param malformedFraction share of records that cannot be decoded
 * @param futureFraction share of records whose event time is {@code futureBy} after their nominal
 *     time
 * @param futureBy how far ahead a FUTURE record is
 * @param filteredFraction share of static-asset, health-check and bot requests
 * @param newProducerFraction share of the newer producer generation (nested user agent and headers,
 *     user ids)
 * @param hosts site host names the traffic is spread over
 */
public record GeneratorSettings(
    long seed,
    long count,
    double ratePerSecond,
    Instant start,
    double duplicateFraction,
    double jitterFraction,
    Duration maxJitter,
    double lateFraction,
    Duration lateBy,
    double malformedFraction,
    double futureFraction,
    Duration futureBy,
    double filteredFraction,
    double newProducerFraction,
    List<String> hosts) {

  public static final long UNBOUNDED = -1;

  /**
   * Far above any Kafka producer's throughput; keeps the simulated clock's arithmetic well inside a
   * long.
   */
  public static final double MAX_RATE = 1_000_000;

  public static final long SEED_DEFAULT = 42;

  /** A fixed default keeps library use reproducible; the CLI starts at the current time instead. */
  public static final Instant START_DEFAULT = Instant.parse("2026-11-20T10:00:00Z");

  public static final double RATE_DEFAULT = 100;
  public static final double DUPLICATE_FRACTION_DEFAULT = 0.02;
  public static final double JITTER_FRACTION_DEFAULT = 0.1;
  public static final Duration MAX_JITTER_DEFAULT = Duration.ofSeconds(30);

  /**
   * Late and future records are the stragglers of real traffic (clients offline, clocks off), a few
   * in a thousand: the defaults stay well inside the data-quality checks' defaults (p99 of the
   * event-time skew at most 15 minutes, future-skewed records at most 1 %), so normal generated
   * traffic passes them; ask for more (e.g. --late-fraction 0.05) to see a check fire.
   */
  public static final double LATE_FRACTION_DEFAULT = 0.002;

  public static final Duration LATE_BY_DEFAULT = Duration.ofHours(1);
  public static final double MALFORMED_FRACTION_DEFAULT = 0.01;
  public static final double FUTURE_FRACTION_DEFAULT = 0.001;
  public static final Duration FUTURE_BY_DEFAULT = Duration.ofDays(1);
  public static final double FILTERED_FRACTION_DEFAULT = 0.05;
  public static final double NEW_PRODUCER_FRACTION_DEFAULT = 0.5;
  public static final List<String> HOSTS_DEFAULT =
      List.of(
          "www.example-academy.io",
          "blog.example-academy.io",
          "app.example-academy.io",
          "docs.example-academy.io");

  public GeneratorSettings {
    if (count < UNBOUNDED) {
      throw invalid("count", count, "must be >= 0, or -1 for unbounded");
    }
    if (!(ratePerSecond > 0 && ratePerSecond <= MAX_RATE)) {
      throw invalid(
          "rate",
          ratePerSecond,
          "must be > 0 and at most " + (long) MAX_RATE + " events per second");
    }
    if (start == null) {
      throw invalid("start", null, "must be an instant");
    }
    checkFraction("duplicate-fraction", duplicateFraction);
    checkFraction("jitter-fraction", jitterFraction);
    checkFraction("late-fraction", lateFraction);
    checkFraction("malformed-fraction", malformedFraction);
    checkFraction("future-fraction", futureFraction);
    checkFraction("filtered-fraction", filteredFraction);
    checkFraction("new-producer-fraction", newProducerFraction);
    double exclusive =
        duplicateFraction + lateFraction + malformedFraction + futureFraction + filteredFraction;
    // a little slack so fractions such as 0.1 + 0.2 + 0.7 are not rejected for rounding
    if (exclusive > 1 + 1e-9) {
      throw invalid(
          "fractions",
          "duplicate + late + malformed + future + filtered = " + exclusive,
          "must add up to at most 1");
    }
    maxJitter = positiveMillis("max-jitter", maxJitter);
    lateBy = positiveMillis("late-by", lateBy);
    futureBy = positiveMillis("future-by", futureBy);
    if (hosts == null || hosts.isEmpty()) {
      throw invalid("hosts", hosts, "must name at least one host");
    }
    if (hosts.stream().anyMatch(host -> host == null || host.isBlank())) {
      throw invalid("hosts", hosts, "host names must not be blank");
    }
    hosts = List.copyOf(hosts);
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean unbounded() {
    return count == UNBOUNDED;
  }

  /** The share of records that are VALID (jittered or not): whatever the exclusive kinds leave. */
  public double validFraction() {
    return Math.max(
        0,
        1
            - duplicateFraction
            - lateFraction
            - malformedFraction
            - futureFraction
            - filteredFraction);
  }

  public Builder toBuilder() {
    return new Builder()
        .seed(seed)
        .count(count)
        .ratePerSecond(ratePerSecond)
        .start(start)
        .duplicateFraction(duplicateFraction)
        .jitterFraction(jitterFraction)
        .maxJitter(maxJitter)
        .lateFraction(lateFraction)
        .lateBy(lateBy)
        .malformedFraction(malformedFraction)
        .futureFraction(futureFraction)
        .futureBy(futureBy)
        .filteredFraction(filteredFraction)
        .newProducerFraction(newProducerFraction)
        .hosts(hosts);
  }

  private static void checkFraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw invalid(name, value, "must be between 0 and 1");
    }
  }

  private static Duration positiveMillis(String name, Duration value) {
    if (value == null || value.isNegative() || value.truncatedTo(ChronoUnit.MILLIS).isZero()) {
      throw invalid(name, value, "must be at least 1 ms");
    }
    return value.truncatedTo(ChronoUnit.MILLIS);
  }

  private static IllegalArgumentException invalid(String name, Object value, String allowed) {
    return new IllegalArgumentException(String.format("Invalid %s: %s (%s)", name, value, allowed));
  }

  /** Starts from the defaults; only {@code build()} validates. */
  public static final class Builder {
    private long seed = SEED_DEFAULT;
    private long count = UNBOUNDED;
    private double ratePerSecond = RATE_DEFAULT;
    private Instant start = START_DEFAULT;
    private double duplicateFraction = DUPLICATE_FRACTION_DEFAULT;
    private double jitterFraction = JITTER_FRACTION_DEFAULT;
    private Duration maxJitter = MAX_JITTER_DEFAULT;
    private double lateFraction = LATE_FRACTION_DEFAULT;
    private Duration lateBy = LATE_BY_DEFAULT;
    private double malformedFraction = MALFORMED_FRACTION_DEFAULT;
    private double futureFraction = FUTURE_FRACTION_DEFAULT;
    private Duration futureBy = FUTURE_BY_DEFAULT;
    private double filteredFraction = FILTERED_FRACTION_DEFAULT;
    private double newProducerFraction = NEW_PRODUCER_FRACTION_DEFAULT;
    private List<String> hosts = HOSTS_DEFAULT;

    private Builder() {}

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder count(long value) {
      this.count = value;
      return this;
    }

    public Builder ratePerSecond(double value) {
      this.ratePerSecond = value;
      return this;
    }

    public Builder start(Instant value) {
      this.start = value;
      return this;
    }

    public Builder duplicateFraction(double value) {
      this.duplicateFraction = value;
      return this;
    }

    public Builder jitterFraction(double value) {
      this.jitterFraction = value;
      return this;
    }

    public Builder maxJitter(Duration value) {
      this.maxJitter = value;
      return this;
    }

    public Builder lateFraction(double value) {
      this.lateFraction = value;
      return this;
    }

    public Builder lateBy(Duration value) {
      this.lateBy = value;
      return this;
    }

    public Builder malformedFraction(double value) {
      this.malformedFraction = value;
      return this;
    }

    public Builder futureFraction(double value) {
      this.futureFraction = value;
      return this;
    }

    public Builder futureBy(Duration value) {
      this.futureBy = value;
      return this;
    }

    public Builder filteredFraction(double value) {
      this.filteredFraction = value;
      return this;
    }

    public Builder newProducerFraction(double value) {
      this.newProducerFraction = value;
      return this;
    }

    public Builder hosts(List<String> value) {
      this.hosts = value;
      return this;
    }

    /** Only VALID records: every special kind and the jitter switched off. */
    public Builder onlyValid() {
      return duplicateFraction(0)
          .jitterFraction(0)
          .lateFraction(0)
          .malformedFraction(0)
          .futureFraction(0)
          .filteredFraction(0);
    }

    public GeneratorSettings build() {
      return new GeneratorSettings(
          seed,
          count,
          ratePerSecond,
          start,
          duplicateFraction,
          jitterFraction,
          maxJitter,
          lateFraction,
          lateBy,
          malformedFraction,
          futureFraction,
          futureBy,
          filteredFraction,
          newProducerFraction,
          hosts);
    }
  }
}
