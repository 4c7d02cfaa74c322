package io.webtraffic.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.ltrim;
import static org.apache.spark.sql.functions.when;

import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Lifts browser, version, device and OS out of the user agent. Both producer generations reach this
 * point as JSON text (see {@link EventSchema}); a user agent that is not JSON leaves these null.
 *
 * <p>Only text that can hold a JSON object (its first character after JSON's white space is {@code
 * {}) goes to the parser: the older producers send a plain user-agent string, which the parser
 * would reject by building an exception, once per record.
 */
public final class EnrichUserAgent {
  /** The white space a JSON parser skips before a value. */
  static final String JSON_WHITESPACE = " \t\n\r";

  public Dataset<Row> apply(Dataset<Row> events) {
    Column userAgent = col("user_agent");
    Column parsed =
        when(
            ltrim(userAgent, JSON_WHITESPACE).startsWith("{"),
            from_json(userAgent, EventSchema.USER_AGENT, Map.of("mode", "PERMISSIVE")));
    return events
        .withColumn("ua", parsed)
        .withColumn("ua_family", col("ua.family"))
        .withColumn("ua_major", col("ua.major"))
        .withColumn("device_family", col("ua.device.family"))
        .withColumn("os_family", col("ua.os.family"))
        .drop("ua");
  }
}
