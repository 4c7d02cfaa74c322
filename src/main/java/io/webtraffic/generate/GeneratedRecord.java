package io.webtraffic.generate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record to send, with what it is meant to be. The byte arrays are not copied: treat them
 * as read-only.
 *
 * @param kind what the record exercises
 * @param jittered whether a VALID record's event time was moved back (it arrives out of order)
 * @param key the Kafka key (the client ip as UTF-8), or null
 * @param value the Kafka value exactly as sent
 * @param timestampMs the Kafka record timestamp: the record's nominal time on the simulated clock
 * @param event the logical event, or null for MALFORMED records
 * @param malformation how a MALFORMED record is broken, else null
 */
public record GeneratedRecord(
    Kind kind,
    boolean jittered,
    byte[] key,
    byte[] value,
    long timestampMs,
    WebEvent event,
    Malformation malformation) {

  public GeneratedRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    if ((kind == Kind.MALFORMED) != (malformation != null)) {
      throw new IllegalArgumentException(
          "Invalid malformation: " + malformation + " for a " + kind + " record");
    }
    if ((kind == Kind.MALFORMED) != (event == null)) {
      throw new IllegalArgumentException(
          "Invalid event: a " + kind + " record needs an event unless MALFORMED");
    }
    if (jittered && kind != Kind.VALID) {
      throw new IllegalArgumentException(
          "Invalid jittered: only VALID records are jittered, not " + kind);
    }
  }

  /** The value as text (every generated value is UTF-8, malformed ones included). */
  public String valueText() {
    return new String(value, StandardCharsets.UTF_8);
  }

  /** The key as text, or null. */
  public String keyText() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof GeneratedRecord that)) {
      return false;
    }
    return kind == that.kind
        && jittered == that.jittered
        && timestampMs == that.timestampMs
        && Arrays.equals(key, that.key)
        && Arrays.equals(value, that.value)
        && Objects.equals(event, that.event)
        && malformation == that.malformation;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        kind,
        jittered,
        Arrays.hashCode(key),
        Arrays.hashCode(value),
        timestampMs,
        event,
        malformation);
  }

  @Override
  public String toString() {
    return "GeneratedRecord{"
        + kind
        + (jittered ? " jittered" : "")
        + (malformation == null ? "" : " " + malformation)
        + ", timestampMs="
        + timestampMs
        + ", key="
        + keyText()
        + ", value="
        + valueText()
        + "}";
  }
}
