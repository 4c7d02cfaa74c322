package io.webtraffic.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Decodes Kafka records into event columns and names why a record cannot be used ({@code
 * dead_reason}, null for a good record). Nothing is dropped here: the raw bytes and the Kafka
 * coordinates travel with every row so a dead letter can be traced and replayed.
 *
 * <p>A record is dead when it is empty, not a JSON object, lacks a required field, has an {@code
 * event_time} that is not an ISO-8601 instant with a zone, or claims a time further after its Kafka
 * timestamp than {@code maxFutureSkew}. A {@code url}, {@code host} or {@code ip} that is empty or
 * only whitespace is as good as absent: it decodes to null and the record is {@code
 * missing_field:<name>} ({@code event_time} has its own rule, so a blank one is {@code
 * bad_event_time}). The last check uses the Kafka timestamp, not the clock, so a replayed batch
 * decides exactly as the first run did, and one skewed clock cannot drag the watermark into the
 * future.
 */
public final class Decode {
  /** ISO-8601 with a mandatory zone: 2026-11-20T10:15:30.123Z or 2026-11-20T10:15:30+01:00. */
  static final String ISO_INSTANT =
      "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$";

  static final String SESSION_TIME_ZONE = "spark.sql.session.timeZone";

  public static final String EMPTY_RECORD = "empty_record";

  /**
   * Any character that is not whitespace by Java's {@code Character.isWhitespace}: a text without
   * one is blank, as {@code String.isBlank} has it (the generator rejects host names by the same
   * rule).
   */
  static final String NOT_WHITESPACE = "\\P{javaWhitespace}";

  /** Scratch columns between the two projections. */
  private static final String MALFORMED = "_malformed";

  private static final String NO_EVENT_TIME = "_no_event_time";

  private final Duration maxFutureSkew;

  public Decode(Duration maxFutureSkew) {
    this.maxFutureSkew = maxFutureSkew;
  }

  /** Kafka source columns in; event columns, Kafka coordinates, raw bytes and dead_reason out. */
  public Dataset<Row> apply(Dataset<Row> kafka) {
    String zone = kafka.sparkSession().conf().get(SESSION_TIME_ZONE);
    if (!zone.equals("UTC")) {
      throw new IllegalStateException(
          "Decode reads event times in UTC; the Spark session's "
              + SESSION_TIME_ZONE
              + " is "
              + zone);
    }
    Column payload = col("value").cast("string");
    Dataset<Row> parsed =
        kafka.select(
            col("key").as("raw_key"),
            col("value").as("raw_value"),
            col("topic").as("kafka_topic"),
            col("partition").as("kafka_partition"),
            col("offset").as("kafka_offset"),
            col("timestamp").as("kafka_timestamp"),
            from_json(
                    payload,
                    EventSchema.EVENT,
                    Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", EventSchema.CORRUPT))
                .as("e"));

    // Every field once, in a projection of its own: the dead reason below reads these columns.
    // Written as one projection, Spark evaluated the event-time parse (a regular expression and a
    // cast) three times per record and each blank test twice, the reason's uses being conditional.
    Column eventTimeText = col("e.event_time");
    Dataset<Row> fields =
        parsed.select(
            notBlank(col("e.url")).as("url"),
            col("e.referrer").as("referrer"),
            notBlank(col("e.host")).as("host"),
            notBlank(col("e.ip")).as("ip"),
            when(eventTimeText.rlike(ISO_INSTANT), withoutZ(eventTimeText).cast("timestamp"))
                .as("event_time"),
            col("e.user_agent").as("user_agent"),
            col("e.headers").as("headers"),
            col("e.user_id").as("user_id"),
            col("e.academy_id").as("academy_id"),
            col("e.event_id").as("event_id"),
            col("raw_key"),
            col("raw_value"),
            col("kafka_topic"),
            col("kafka_partition"),
            col("kafka_offset"),
            col("kafka_timestamp"),
            col("e").isNull().or(col("e." + EventSchema.CORRUPT).isNotNull()).as(MALFORMED),
            eventTimeText.isNull().as(NO_EVENT_TIME));

    Column eventTime = col("event_time");
    Column latestAccepted =
        col("kafka_timestamp").plus(expr("INTERVAL " + maxFutureSkew.toMillis() + " MILLISECONDS"));
    Column reason =
        when(col("raw_value").isNull().or(expr("length(raw_value) = 0")), lit(EMPTY_RECORD))
            .when(col(MALFORMED), lit("malformed_json"));
    for (String field : EventSchema.REQUIRED) {
      Column missing = field.equals("event_time") ? col(NO_EVENT_TIME) : col(field).isNull();
      reason = reason.when(missing, lit("missing_field:" + field));
    }
    reason =
        reason
            .when(eventTime.isNull(), lit("bad_event_time"))
            .when(eventTime.gt(latestAccepted), lit("future_event_time"));

    return fields.withColumn("dead_reason", reason).drop(MALFORMED, NO_EVENT_TIME);
  }

  /**
   * The text, or null when it is empty or only whitespace: {@code String.isBlank}'s rule, as one
   * search for a character that is not whitespace (found at once in any real value).
   */
  static Column notBlank(Column text) {
    return when(text.rlike(NOT_WHITESPACE), text);
  }

  /**
   * The instant's text without a trailing {@code Z}: the job's session time zone is UTC ({@code
   * job.SparkSessions}), so the cast reads the rest as UTC. Spark resolves any zone written in the
   * text through two regular expressions compiled on every call (4 % of the job's CPU when every
   * event said {@code Z}); numeric offsets, which are rare, still go that way.
   */
  static Column withoutZ(Column isoInstant) {
    return when(isoInstant.endsWith("Z"), isoInstant.substr(lit(1), length(isoInstant).minus(1)))
        .otherwise(isoInstant);
  }

  /** A unique, never-colliding id for a record that is not an event. */
  static Column recordId() {
    return concat(
        lit("x:"),
        col("kafka_topic"),
        lit("/"),
        col("kafka_partition"),
        lit("/"),
        col("kafka_offset"));
  }
}
