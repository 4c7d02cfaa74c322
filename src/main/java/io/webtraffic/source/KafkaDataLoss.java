package io.webtraffic.source;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Records the job should read next that Kafka no longer has (aged out by retention, or deleted).
 * With {@code kafka.fail-on-data-loss=true} the job stops; this says which partition and offset,
 * and the two ways on, instead of Spark's stack trace.
 */
public final class KafkaDataLoss {
  /** Spark's executor-side failure (KafkaDataConsumer), the same in Spark 3.x. */
  private static final Pattern SPARK_FETCH =
      Pattern.compile("Cannot fetch offset (\\d+) \\(GroupId: [^,]*, TopicPartition: ([^)]+)\\)");

  static final String WAYS_ON =
      "Replay from a point in time with scripts/pipeline rewind --to <instant>, or skip the lost"
          + " records with --set kafka.fail-on-data-loss=false";

  private KafkaDataLoss() {}

  /** A partition whose next offset to read is below the start of its log. */
  public record Gap(TopicPartition partition, long offset, long logStart) {
    @Override
    public String toString() {
      return String.format(
          "%s from offset %d (the log now starts at %d: %d records lost)",
          partition, offset, logStart, logStart - offset);
    }
  }

  /** What cannot be read and the ways on. */
  public static String message(List<Gap> gaps) {
    return "cannot read "
        + gaps.stream().map(Gap::toString).collect(Collectors.joining(", "))
        + "; the records are no longer in Kafka (aged out by retention or deleted). "
        + WAYS_ON;
  }

  /** Spark's data-loss failure, anywhere in the causes of {@code e}, in the job's words. */
  public static Optional<String> explain(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Matcher m = t.getMessage() == null ? null : SPARK_FETCH.matcher(t.getMessage());
      if (m != null && m.find()) {
        return Optional.of(
            String.format(
                "Cannot read %s from offset %s: the records are no longer in Kafka (aged out by"
                    + " retention or deleted). %s",
                m.group(2), m.group(1), WAYS_ON));
      }
    }
    return Optional.empty();
  }
}
