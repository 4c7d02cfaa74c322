package io.webtraffic.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Drops the bytes a record will never store before it crosses the shuffle. The raw value travels
 * with events (the sinks' {@code payload} is its text, identical because invalid UTF-8 is a dead
 * letter) and with dead letters (stored byte for byte); the Kafka key and topic only with dead
 * letters; a filtered record, only counted, keeps neither.
 */
public final class TrimRecord {

  /** Classified and keyed rows in (dead_reason, filter_reason, dedup_key set); trimmed rows out. */
  public Dataset<Row> apply(Dataset<Row> keyed) {
    return keyed
        .withColumn("raw_value", when(col("filter_reason").isNull(), col("raw_value")))
        .withColumn("raw_key", when(col("dead_reason").isNotNull(), col("raw_key")))
        .withColumn("kafka_topic", when(col("dead_reason").isNotNull(), col("kafka_topic")));
  }
}
