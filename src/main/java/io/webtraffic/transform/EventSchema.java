package io.webtraffic.transform;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The explicit schema events are decoded with. {@code user_agent} and {@code headers} are strings
 * on purpose: the older producers send a JSON string and the newer ones an object, and Spark's JSON
 * reader turns an object read as a string into its JSON text, so both generations arrive in one
 * shape.
 */
public final class EventSchema {
  /** Spark puts the raw text of a record it cannot parse into this column. */
  public static final String CORRUPT = "_corrupt_record";

  public static final StructType EVENT =
      new StructType()
          .add("url", DataTypes.StringType)
          .add("referrer", DataTypes.StringType)
          .add("user_agent", DataTypes.StringType)
          .add("headers", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("ip", DataTypes.StringType)
          .add("event_time", DataTypes.StringType)
          .add("user_id", DataTypes.LongType)
          .add("academy_id", DataTypes.LongType)
          .add("event_id", DataTypes.StringType)
          .add(CORRUPT, DataTypes.StringType);

  /** The parts of a user agent the pipeline keeps as columns. */
  public static final StructType USER_AGENT =
      new StructType()
          .add("family", DataTypes.StringType)
          .add("major", DataTypes.StringType)
          .add("device", new StructType().add("family", DataTypes.StringType))
          .add("os", new StructType().add("family", DataTypes.StringType));

  /** Fields without which an event is dead-lettered. */
  public static final String[] REQUIRED = {"url", "host", "ip", "event_time"};

  private EventSchema() {}
}
