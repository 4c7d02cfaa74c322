package io.webtraffic.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Lifts browser, version, device and OS out of the user agent. Both producer generations reach this
 * point as JSON text (see {@link EventSchema}); a user agent that is not JSON leaves these null.
 */
public final class EnrichUserAgent {

  public Dataset<Row> apply(Dataset<Row> events) {
    return events
        .withColumn(
            "ua",
            from_json(col("user_agent"), EventSchema.USER_AGENT, Map.of("mode", "PERMISSIVE")))
        .withColumn("ua_family", col("ua.family"))
        .withColumn("ua_major", col("ua.major"))
        .withColumn("device_family", col("ua.device.family"))
        .withColumn("os_family", col("ua.os.family"))
        .drop("ua");
  }
}
