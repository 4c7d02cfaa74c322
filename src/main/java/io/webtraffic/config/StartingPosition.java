package io.webtraffic.config;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Where a new checkpoint starts reading: Kafka's {@code startingOffsets} (earliest, latest or a
 * JSON offsets object) or {@code startingTimestamp} ("replay everything since 09:00").
 */
public record StartingPosition(String offsets, Instant timestamp) {
  static final String KEY = "pipeline.kafka.starting-position";
  private static final String ALLOWED =
      "allowed: earliest, latest, timestamp:<ISO-8601 instant such as 2026-11-20T09:00:00Z>,"
          + " or a JSON offsets object such as {\"web-events\":{\"0\":42}}";

  public static StartingPosition parse(String value) {
    String v = value.trim();
    if (v.equals("earliest") || v.equals("latest")) {
      return new StartingPosition(v, null);
    }
    if (v.startsWith("timestamp:")) {
      try {
        return new StartingPosition(null, Instant.parse(v.substring("timestamp:".length()).trim()));
      } catch (DateTimeParseException e) {
        throw InvalidConfigException.invalid(KEY, value, ALLOWED);
      }
    }
    if (v.startsWith("{") && v.endsWith("}") && v.contains(":")) {
      return new StartingPosition(v, null);
    }
    throw InvalidConfigException.invalid(KEY, value, ALLOWED);
  }

  public boolean isTimestamp() {
    return timestamp != null;
  }

  @Override
  public String toString() {
    return isTimestamp() ? "timestamp:" + timestamp : offsets;
  }
}
