package io.webtraffic.quality;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import io.webtraffic.batch.KafkaTimes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the data-quality checks and the latency need from a classified batch that its accounting
 * does not hold, computed in one aggregation: nulls per required field, the 99th percentile of the
 * distance between Kafka timestamp and event time, and where the Kafka timestamps lie.
 */
public record BatchProfile(
    long read, Map<String, Long> nullsByField, OptionalDouble skewP99Seconds, KafkaTimes kafka) {

  /** Percentiles are exact up to this many distinct values (Spark's approx_percentile accuracy). */
  static final int ACCURACY = 10_000;

  public static BatchProfile of(Dataset<Row> classified, List<String> requiredFields) {
    Column[] aggs = aggregates(requiredFields);
    return from(
        classified.agg(aggs[0], Arrays.copyOfRange(aggs, 1, aggs.length)).first(), requiredFields);
  }

  /**
   * The profile's aggregates over a classified batch, in the order {@link #from} reads them; the
   * committer observes them during its counting job rather than running one of their own.
   */
  public static Column[] aggregates(List<String> requiredFields) {
    return aggregates(requiredFields, lit(true), col("dead_reason").isNull());
  }

  /**
   * The same aggregates over the rows where {@code record} holds (the batch's Kafka records, when
   * other rows share the dataset); {@code notDead} tells the records that are not dead letters.
   */
  public static Column[] aggregates(List<String> requiredFields, Column record, Column notDead) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(when(record, 1)).as("read"));
    for (String field : requiredFields) {
      aggs.add(sum(when(record.and(col(field).isNull()), 1).otherwise(0)).as("null_" + field));
    }
    // Dead letters have no usable event time (or one too far ahead, which has its own check).
    Column skewMs =
        when(
            record.and(notDead),
            abs(unix_millis(col("kafka_timestamp")).minus(unix_millis(col("event_time")))));
    Column kafkaMs = when(record, unix_millis(col("kafka_timestamp")));
    aggs.add(percentile_approx(skewMs, lit(0.99), lit(ACCURACY)).as("skew_p99_ms"));
    aggs.add(min(kafkaMs).as("kafka_min"));
    aggs.add(
        percentile_approx(kafkaMs, array(lit(0.01), lit(0.05), lit(0.5)), lit(ACCURACY))
            .as("kafka_q"));
    return aggs.toArray(Column[]::new);
  }

  /** The profile from one row of {@link #aggregates}. */
  public static BatchProfile from(Row r, List<String> requiredFields) {
    long read = r.getLong(0);
    Map<String, Long> nulls = new LinkedHashMap<>();
    for (int i = 0; i < requiredFields.size(); i++) {
      nulls.put(requiredFields.get(i), r.isNullAt(1 + i) ? 0L : r.getLong(1 + i));
    }
    int next = 1 + requiredFields.size();
    OptionalDouble skew =
        r.isNullAt(next) ? OptionalDouble.empty() : OptionalDouble.of(r.getLong(next) / 1000.0);
    KafkaTimes kafka = KafkaTimes.NONE;
    if (read > 0) {
      List<Long> q = r.getList(next + 2);
      kafka = new KafkaTimes(r.getLong(next + 1), q.get(0), q.get(1), q.get(2));
    }
    return new BatchProfile(read, nulls, skew, kafka);
  }
}
