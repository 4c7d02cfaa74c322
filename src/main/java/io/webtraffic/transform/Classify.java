package io.webtraffic.transform;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Gives every record of a micro-batch exactly one {@code outcome}: event, duplicate, late, dead or
 * filtered. Spark's deduplication drops late rows and duplicates alike; here the rows it kept
 * ({@code kept}: Kafka partition and offset) and the late threshold it used tell them apart, so the
 * accounting identity {@code read = events + duplicates + late + dead + filtered} holds by
 * construction and late rows can be stored instead of vanishing.
 */
public final class Classify {
  public static final String EVENT = "event";
  public static final String DUPLICATE = "duplicate";
  public static final String LATE = "late";
  public static final String DEAD = "dead";
  public static final String FILTERED = "filtered";

  private Classify() {}

  /**
   * @param input every record of the batch, with dead_reason, filter_reason and event_time
   * @param kept the (kafka_partition, kafka_offset) of the rows the deduplication let through
   * @param lateThresholdMs the watermark Spark drops rows at or below in this batch
   */
  public static Dataset<Row> apply(Dataset<Row> input, Dataset<Row> kept, long lateThresholdMs) {
    Dataset<Row> keptFlags =
        kept.select(col("kafka_partition").as("k_partition"), col("kafka_offset").as("k_offset"))
            .withColumn("kept", lit(true));
    Column late = col("event_time").leq(timestamp_millis(lit(lateThresholdMs)));
    return input
        .join(
            broadcast(keptFlags),
            col("kafka_partition")
                .equalTo(col("k_partition"))
                .and(col("kafka_offset").equalTo(col("k_offset"))),
            "left")
        .withColumn(
            "outcome",
            when(col("dead_reason").isNotNull(), lit(DEAD))
                .when(col("filter_reason").isNotNull(), lit(FILTERED))
                .when(late, lit(LATE))
                .when(col("kept").isNotNull(), lit(EVENT))
                .otherwise(lit(DUPLICATE)))
        .withColumn("kept", col("kept").isNotNull())
        .drop("k_partition", "k_offset");
  }
}
