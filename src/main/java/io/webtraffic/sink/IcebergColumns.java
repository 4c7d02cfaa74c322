package io.webtraffic.sink;

import java.util.List;
import java.util.stream.Stream;

/**
 * The columns of the job's Iceberg tables, as Spark SQL DDL, and the field names the events tables
 * hold. Columns added after a table was first released are listed apart, in the order they came, so
 * that new and old tables gain them in the same place.
 */
final class IcebergColumns {
  static final String EVENT_COLUMNS =
      String.join(
          ",\n  ",
          "dedup_key STRING NOT NULL",
          "event_time TIMESTAMP NOT NULL",
          "url STRING",
          "referrer STRING",
          "host STRING",
          "ip STRING",
          "user_agent STRING",
          "ua_family STRING",
          "ua_major STRING",
          "device_family STRING",
          "os_family STRING",
          "headers STRING",
          "user_id BIGINT",
          "academy_id BIGINT",
          "event_id STRING",
          "payload STRING COMMENT 'the record as received, unknown fields included'",
          "kafka_partition INT",
          "kafka_offset BIGINT",
          "kafka_timestamp TIMESTAMP",
          "batch_id BIGINT");

  static final String LATE_EVENT_COLUMNS =
      EVENT_COLUMNS
          + ",\n  watermark TIMESTAMP COMMENT 'the watermark the event missed'"
          + ",\n  lateness_ms BIGINT COMMENT 'watermark minus event_time'";

  /** From the side inputs; last in each table, so that old tables gain them in the same place. */
  static final List<String> GEO_COLUMNS =
      List.of(
          "country STRING COMMENT 'from the IP-range dimension; unknown when not covered'",
          "state STRING",
          "city STRING");

  static final List<String> SITE_COLUMNS =
      List.of(
          "site_name STRING COMMENT 'from the host dimension; unknown for an unknown host'",
          "owner STRING",
          "environment STRING");

  static final List<String> ENRICHED_COLUMNS =
      Stream.concat(GEO_COLUMNS.stream(), SITE_COLUMNS.stream()).toList();

  static final String DEAD_LETTER_COLUMNS =
      String.join(
          ",\n  ",
          "raw_key BINARY",
          "raw_value BINARY COMMENT 'the Kafka record value, byte for byte'",
          "kafka_topic STRING",
          "kafka_partition INT",
          "kafka_offset BIGINT",
          "kafka_timestamp TIMESTAMP",
          "reason STRING",
          "batch_id BIGINT");

  /** Of the tumbling and the sliding hits tables alike. */
  static final String HITS_BY_HOST_COLUMNS =
      String.join(
          ",\n  ",
          "window_start TIMESTAMP NOT NULL",
          "window_end TIMESTAMP NOT NULL",
          "host STRING",
          "hits BIGINT NOT NULL",
          "batch_id BIGINT");

  static final String HITS_BY_HOST_REFERRER_COLUMNS =
      String.join(
          ",\n  ",
          "window_start TIMESTAMP NOT NULL",
          "window_end TIMESTAMP NOT NULL",
          "host STRING",
          "referrer STRING",
          "hits BIGINT NOT NULL",
          "batch_id BIGINT");

  static final String SESSION_END_DOC = "end of the session window: last event + gap";

  static final String SESSION_COLUMNS =
      String.join(
          ",\n  ",
          "session_id STRING NOT NULL COMMENT 'stable: derived from the first event'",
          "ip STRING",
          "host STRING",
          "session_start TIMESTAMP NOT NULL COMMENT 'first event'",
          "session_end TIMESTAMP NOT NULL COMMENT '" + SESSION_END_DOC + "'",
          "events BIGINT NOT NULL",
          "distinct_urls BIGINT NOT NULL",
          "ua_family STRING COMMENT 'of the first event'",
          "device_family STRING",
          "os_family STRING",
          "batch_id BIGINT");

  /**
   * Columns the sessions table gained after it was first released, in the order they came: added to
   * new and old tables alike, so both have the same layout.
   */
  static final List<String> SESSION_ADDED_COLUMNS =
      Stream.concat(
              GEO_COLUMNS.stream(),
              Stream.of(
                  "last_event_time TIMESTAMP COMMENT 'last event; null in rows written when"
                      + " session_end was the last event'"))
          .toList();

  static final String COUNT_WINDOW_COLUMNS =
      String.join(
          ",\n  ",
          "window_id STRING NOT NULL COMMENT 'stable: derived from the first event'",
          "window_key STRING COMMENT 'the key value; a JSON array when keyed by several fields'",
          "window_start TIMESTAMP NOT NULL COMMENT 'earliest event'",
          "window_end TIMESTAMP NOT NULL COMMENT 'latest event'",
          "events BIGINT NOT NULL",
          "closed_by STRING COMMENT 'count, or timeout when flushed short'",
          "batch_id BIGINT");

  /** The event fields the events and late-events tables hold, in their order. */
  static final List<String> EVENT_FIELDS =
      List.of(
          "dedup_key",
          "event_time",
          "url",
          "referrer",
          "host",
          "ip",
          "user_agent",
          "ua_family",
          "ua_major",
          "device_family",
          "os_family",
          "headers",
          "user_id",
          "academy_id",
          "event_id",
          "payload",
          "kafka_partition",
          "kafka_offset",
          "kafka_timestamp");

  /** The side-input columns the events and late-events tables hold after the event fields. */
  static final List<String> ENRICHED_FIELDS =
      ENRICHED_COLUMNS.stream().map(c -> c.substring(0, c.indexOf(' '))).toList();

  private IcebergColumns() {}
}
