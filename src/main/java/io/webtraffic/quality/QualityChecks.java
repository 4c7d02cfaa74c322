package io.webtraffic.quality;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.config.PipelineConfig.Limit;
import io.webtraffic.config.PipelineConfig.QualitySettings;
import io.webtraffic.config.PipelineConfig.VolumeLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The data-quality checks of one batch, from its accounting, its profile and the volumes of the
 * batches before it. Pure: the same inputs give the same verdict, so a replayed batch is judged
 * exactly as its first attempt was.
 */
public final class QualityChecks {
  public static final String REQUIRED_NULL_SHARE = "required-null-share";
  public static final String DEAD_LETTER_SHARE = "dead-letter-share";
  public static final String FUTURE_SKEW_SHARE = "future-skew-share";
  public static final String EVENT_TIME_SKEW = "event-time-skew";
  public static final String DUPLICATE_SHARE = "duplicate-share";
  public static final String VOLUME = "volume";

  /** Records (not dead letters) a batch needs for its p99 of event-time skew to be judged. */
  public static final int MIN_SKEW_RECORDS = 100;

  /** The dead-letter reason of an event_time too far after its Kafka timestamp. */
  static final String FUTURE_REASON = "future_event_time";

  private final QualitySettings settings;

  public QualityChecks(QualitySettings settings) {
    this.settings = settings;
  }

  /**
   * @param recentVolumes records read by the latest earlier batches of this query that read any,
   *     newest first, at most {@code volume.history} of them
   */
  public List<CheckResult> evaluate(
      BatchProfile profile, BatchCounts counts, List<Long> recentVolumes) {
    long read = counts.read();
    List<CheckResult> results = new ArrayList<>();
    if (!settings.requiredFields().isEmpty()) {
      Map.Entry<String, Long> worst =
          profile.nullsByField().entrySet().stream()
              .max(Map.Entry.comparingByValue())
              .orElseThrow();
      results.add(
          share(
              REQUIRED_NULL_SHARE,
              settings.requiredNullShare(),
              worst.getValue(),
              read,
              "records lacking a usable field: "
                  + profile.nullsByField().entrySet().stream()
                      .map(e -> e.getKey() + " " + e.getValue())
                      .collect(Collectors.joining(", "))));
    }
    results.add(
        share(
            DEAD_LETTER_SHARE,
            settings.deadLetterShare(),
            counts.dead(),
            read,
            "dead letters by reason: " + counts.deadByReason()));
    results.add(
        share(
            FUTURE_SKEW_SHARE,
            settings.futureSkewShare(),
            counts.deadByReason().getOrDefault(FUTURE_REASON, 0L),
            read,
            FUTURE_REASON + " dead letters"));
    results.add(skew(profile, read - counts.dead()));
    results.add(
        share(
            DUPLICATE_SHARE,
            settings.duplicateShare(),
            counts.duplicates(),
            read,
            "duplicates dropped"));
    results.add(volume(read, recentVolumes));
    return results;
  }

  private static CheckResult share(String check, Limit limit, long n, long read, String what) {
    String threshold = "<= " + CheckResult.round(limit.max());
    if (read == 0) {
      return new CheckResult(
          check, OptionalDouble.empty(), threshold, limit.action(), true, "no records");
    }
    double value = (double) n / read;
    return new CheckResult(
        check,
        OptionalDouble.of(value),
        threshold,
        limit.action(),
        value <= limit.max(),
        n + " of " + read + " records; " + what);
  }

  /**
   * The 99th percentile of fewer than {@link #MIN_SKEW_RECORDS} values is their maximum: one
   * straggler of a small batch would fail the check. Such a batch is recorded, not judged; the late
   * events themselves are counted by the accounting.
   */
  private CheckResult skew(BatchProfile profile, long usable) {
    Limit limit = settings.eventTimeSkew();
    String threshold = "<= " + CheckResult.round(limit.max()) + " s";
    OptionalDouble p99 = profile.skewP99Seconds();
    String unjudged =
        p99.isEmpty()
            ? "no records with a usable event_time"
            : usable < MIN_SKEW_RECORDS
                ? "p99 not judged: "
                    + usable
                    + " records that are not dead letters, "
                    + MIN_SKEW_RECORDS
                    + " needed (the p99 of fewer is their maximum)"
                : null;
    if (unjudged != null) {
      return new CheckResult(EVENT_TIME_SKEW, p99, threshold, limit.action(), true, unjudged);
    }
    return new CheckResult(
        EVENT_TIME_SKEW,
        p99,
        threshold,
        limit.action(),
        p99.getAsDouble() <= limit.max(),
        "p99 of |Kafka timestamp - event_time| in seconds, over records that are not dead letters");
  }

  private CheckResult volume(long read, List<Long> recent) {
    VolumeLimit limit = settings.volume();
    String threshold =
        CheckResult.round(limit.minRatio()) + " .. " + CheckResult.round(limit.maxRatio());
    if (read == 0) {
      return new CheckResult(
          VOLUME,
          OptionalDouble.empty(),
          threshold,
          limit.action(),
          true,
          "no records (a batch that only moves the watermark)");
    }
    if (recent.size() < limit.minHistory()) {
      return new CheckResult(
          VOLUME,
          OptionalDouble.empty(),
          threshold,
          limit.action(),
          true,
          recent.size() + " earlier batches with records, " + limit.minHistory() + " needed");
    }
    double median = median(recent);
    double ratio = read / median;
    return new CheckResult(
        VOLUME,
        OptionalDouble.of(ratio),
        threshold,
        limit.action(),
        ratio >= limit.minRatio() && ratio <= limit.maxRatio(),
        "read "
            + read
            + " records; median of the last "
            + recent.size()
            + " batches "
            + CheckResult.round(median));
  }

  static double median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}
