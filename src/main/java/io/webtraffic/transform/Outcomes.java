package io.webtraffic.transform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Gives every row of a micro-batch's output its {@code outcome}. The batch holds each Kafka record
 * once (the record rows) and, from the window operator, each event the deduplication kept, each
 * changed session and each finished count window. A record is dead, filtered, late (at or below the
 * batch's late threshold: Spark's deduplication dropped it) or a candidate; candidates are the
 * events plus the duplicates, so duplicates are counted as their difference and never looked for.
 *
 * <p>Only rows that are stored keep their columns: a candidate keeps what the data-quality profile
 * reads, so the one copy of the batch that the commit keeps holds each event once.
 */
public final class Outcomes {
  public static final String OUTCOME = "outcome";
  public static final String EVENT = "event";
  public static final String LATE = "late";
  public static final String DEAD = "dead";
  public static final String FILTERED = "filtered";
  public static final String CANDIDATE = "candidate";
  public static final String SESSION = "session";
  public static final String COUNT = "count";

  /** Outcomes of Kafka records: each record read has exactly one of them. */
  public static final Set<String> RECORD_OUTCOMES = Set.of(LATE, DEAD, FILTERED, CANDIDATE);

  /** The window operator's columns in the batch; every other column is a record's. */
  static final String KIND = "window_kind";

  static final List<String> OPERATOR_COLUMNS = List.of(KIND, EVENT, SESSION, COUNT);

  /** What a candidate keeps besides the required fields. */
  static final Set<String> PROFILE_COLUMNS =
      Set.of("event_time", "kafka_timestamp", "kafka_partition", "kafka_offset");

  private Outcomes() {}

  /**
   * @param batch the job's output for one micro-batch: record rows and operator rows
   * @param lateThresholdMs the watermark Spark dropped rows at or below in this batch
   * @param requiredFields the fields whose nulls the data-quality profile counts
   */
  public static Dataset<Row> apply(
      Dataset<Row> batch, long lateThresholdMs, List<String> requiredFields) {
    // The outcome first, in a projection of its own: the threshold is a per-batch value that Spark
    // evaluates where it is written, so each row compares with it once.
    Column threshold = BatchConstant.timestampMillis(lateThresholdMs);
    Column kind = col(KIND);
    Column outcome =
        when(kind.isNotNull(), kind)
            .when(col("dead_reason").isNotNull(), lit(DEAD))
            .when(col("filter_reason").isNotNull(), lit(FILTERED))
            .when(col("event_time").leq(threshold), lit(LATE))
            .otherwise(lit(CANDIDATE));
    Column keptButLate =
        coalesce(
            kind.equalTo(lit(EVENT)).and(col(EVENT + ".event_time").leq(threshold)), lit(false));
    Dataset<Row> withOutcome =
        batch.select(col("*"), outcome.as(OUTCOME), keptButLate.as("kept_but_late"));

    Column isEvent = col(OUTCOME).equalTo(lit(EVENT));
    Column isCandidate = col(OUTCOME).equalTo(lit(CANDIDATE));
    List<Column> columns = new ArrayList<>();
    columns.add(col(OUTCOME));
    columns.add(coalesce(col("dead_reason"), col("filter_reason")).as("reason"));
    for (String c : batch.columns()) {
      if (OPERATOR_COLUMNS.contains(c) || c.equals("dead_reason") || c.equals("filter_reason")) {
        continue;
      }
      Column value = when(isEvent, col(EVENT + "." + c)).otherwise(col(c));
      if (!PROFILE_COLUMNS.contains(c) && !requiredFields.contains(c)) {
        value = when(not(isCandidate), value);
      }
      columns.add(value.as(c));
    }
    columns.add(col("kept_but_late"));
    columns.add(col(SESSION));
    columns.add(col(COUNT));
    return withOutcome.select(columns.toArray(Column[]::new));
  }
}
