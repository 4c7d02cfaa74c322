package io.webtraffic.generate;

/**
 * How a {@link Kind#MALFORMED} record is broken, so tests can expect the matching dead-letter
 * reason.
 */
public enum Malformation {
  /** A valid event's JSON cut short before its closing brace. */
  TRUNCATED_JSON,
  /**
   * Text that is not JSON at all (a raw HTTP line, an HTML error page, key=value pairs); sent
   * without a key.
   */
  NOT_JSON,
  /** A JSON event without its {@code host} field. */
  MISSING_HOST,
  /** A JSON event without its {@code event_time} field. */
  MISSING_EVENT_TIME,
  /**
   * A JSON event whose {@code event_time} is a string no timestamp parser accepts, such as
   * "yesterday".
   */
  BAD_EVENT_TIME
}
