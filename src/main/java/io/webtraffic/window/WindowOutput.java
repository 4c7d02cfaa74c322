package io.webtraffic.window;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows the window operator emits, one kind per row: an {@code event} the deduplication kept
 * (its columns passed through unchanged, so the batch needs no second look at what was kept), a
 * {@code session} that changed, or a {@code count} window that finished.
 */
public final class WindowOutput implements Serializable {
  public static final String KIND = "window_kind";
  public static final String EVENT = "event";
  public static final String SESSION = "session";
  public static final String COUNT = "count";

  /** A session as both sinks store it; the window is [session_start, session_end]. */
  public static final StructType SESSION_ROW =
      new StructType()
          .add("session_id", DataTypes.StringType)
          .add("ip", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("session_start", DataTypes.TimestampType)
          .add("session_end", DataTypes.TimestampType)
          .add("last_event_time", DataTypes.TimestampType)
          .add("events", DataTypes.LongType)
          .add("distinct_urls", DataTypes.LongType)
          .add("ua_family", DataTypes.StringType)
          .add("device_family", DataTypes.StringType)
          .add("os_family", DataTypes.StringType)
          .add("status", DataTypes.StringType);

  /** A finished count window as both sinks store it. */
  public static final StructType COUNT_ROW =
      new StructType()
          .add("window_id", DataTypes.StringType)
          .add("window_key", DataTypes.StringType)
          .add("window_start", DataTypes.TimestampType)
          .add("window_end", DataTypes.TimestampType)
          .add("events", DataTypes.LongType)
          .add("closed_by", DataTypes.StringType);

  private final StructType schema;

  /**
   * @param eventType the struct of event columns the operator's input carries
   */
  WindowOutput(StructType eventType) {
    this.schema =
        new StructType()
            .add(KIND, DataTypes.StringType, false)
            .add(EVENT, eventType)
            .add(SESSION, SESSION_ROW)
            .add(COUNT, COUNT_ROW);
  }

  StructType schema() {
    return schema;
  }

  Row event(Row event) {
    return new GenericRowWithSchema(new Object[] {EVENT, event, null, null}, schema);
  }

  Row session(SessionState s, long endMs, Sessions.Status status) {
    Row session =
        new GenericRowWithSchema(
            new Object[] {
              s.getId(),
              s.getIp(),
              s.getHost(),
              new Timestamp(s.getStartMs()),
              new Timestamp(endMs),
              new Timestamp(s.getLastMs()),
              s.getEvents(),
              (long) s.getUrls().size(),
              s.getUaFamily(),
              s.getDeviceFamily(),
              s.getOsFamily(),
              status.name().toLowerCase(Locale.ROOT)
            },
            SESSION_ROW);
    return new GenericRowWithSchema(new Object[] {SESSION, null, session, null}, schema);
  }

  Row count(CountWindows.Window w) {
    Row count =
        new GenericRowWithSchema(
            new Object[] {
              w.windowId(),
              w.key(),
              new Timestamp(w.startMs()),
              new Timestamp(w.endMs()),
              w.events(),
              w.closedBy()
            },
            COUNT_ROW);
    return new GenericRowWithSchema(new Object[] {COUNT, null, null, count}, schema);
  }
}
