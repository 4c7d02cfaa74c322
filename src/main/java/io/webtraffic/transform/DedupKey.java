package io.webtraffic.transform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Adds {@code dedup_key} and {@code wm_time}. The key is the event's own id when the producer sends
 * one, else a SHA-256 of (ip, host, url, event_time, user_agent): byte-identical producer retries
 * share it. Records that are not events (dead or filtered) get a key of their own Kafka coordinates
 * and no event time, so they pass the deduplication untouched and never move the watermark. The
 * three key spaces carry distinct prefixes so a crafted event_id cannot collide with another kind.
 */
public final class DedupKey {
  static final String SEPARATOR = "\u001f";

  public Dataset<Row> apply(Dataset<Row> events) {
    Column isEvent = col("dead_reason").isNull().and(col("filter_reason").isNull());
    Column contentHash =
        sha2(
            concat_ws(
                SEPARATOR,
                orMarker(col("ip")),
                orMarker(col("host")),
                orMarker(col("url")),
                unix_micros(col("event_time")).cast("string"),
                orMarker(col("user_agent"))),
            256);
    Column eventKey =
        when(col("event_id").isNotNull(), concat(lit("e:"), col("event_id")))
            .otherwise(concat(lit("h:"), contentHash));
    return events
        .withColumn("dedup_key", when(isEvent, eventKey).otherwise(Decode.recordId()))
        .withColumn("wm_time", when(isEvent, col("event_time")));
  }

  /** Keeps null distinct from the empty string inside the hashed text. */
  private static Column orMarker(Column c) {
    return coalesce(c, lit("\u0000"));
  }
}
