package io.webtraffic.window;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.unix_millis;

import io.webtraffic.config.PipelineConfig.WindowSettings;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructType;

/**
 * Session and count windows in one stateful operator after the deduplication, which also passes on
 * every event the deduplication kept ({@link WindowOutput}): the batch learns what it keeps from
 * the operator's own output, with no second look at its input.
 *
 * <p>Each kept event goes to two groups: its (ip, host) session group, carrying the whole event,
 * and its count-window key group, carrying only its time and key.
 *
 * <p>One operator, not two: Spark refuses a stateful operator after one that uses event-time
 * timeouts, and two side by side would each need their own copy of the deduplication.
 */
public final class StatefulWindows {
  /** The separator inside group ids: no key value holds it (decoding rejects control text). */
  private static final String SEPARATOR = "\u001f";

  private final WindowSettings settings;

  public StatefulWindows(WindowSettings settings) {
    this.settings = settings;
  }

  /**
   * @param deduped the deduplication's output: every record it kept (events have a wm_time)
   * @return the operator's rows: {@link WindowOutput#KIND} and one of its structs
   */
  public Dataset<Row> apply(Dataset<Row> deduped) {
    // The event struct holds every column, so both branches of the job read the very same shuffle
    // (Spark reuses it: Kafka is read and parsed once per batch).
    Column event = struct(Arrays.stream(deduped.columns()).map(c -> col(c)).toArray(Column[]::new));
    Column timeMs = unix_millis(col("event_time"));
    Column sessionGroup =
        struct(
            concat_ws(
                    SEPARATOR,
                    lit(String.valueOf(WindowFunction.SESSION_GROUP)),
                    col("ip"),
                    col("host"))
                .as("window_group"),
            lit(null).cast("string").as("count_key"),
            event.as(WindowOutput.EVENT));
    Column countGroup =
        struct(
            concat(lit(WindowFunction.COUNT_GROUP + SEPARATOR), countKey()).as("window_group"),
            countKey().as("count_key"),
            lit(null).cast(eventType(deduped)).as(WindowOutput.EVENT));
    Dataset<Row> input =
        deduped
            .where(col("wm_time").isNotNull())
            .select(
                col("wm_time"),
                timeMs.as("time_ms"),
                col("dedup_key"),
                explode(array(sessionGroup, countGroup)).as("g"))
            .select(
                col("wm_time"),
                col("g.window_group").as("window_group"),
                col("time_ms"),
                col("dedup_key"),
                col("g.count_key").as("count_key"),
                col("g." + WindowOutput.EVENT).as(WindowOutput.EVENT));
    WindowOutput output = new WindowOutput(eventType(deduped));
    return input
        .groupBy(col("window_group"))
        .as(Encoders.STRING(), Encoders.row(input.schema()))
        .flatMapGroupsWithState(
            new WindowFunction(
                new Sessions(settings.sessionGap()),
                new CountWindows(settings.countSize(), settings.countFlushAfter()),
                output),
            OutputMode.Append(),
            WindowState.encoder(),
            Encoders.row(output.schema()),
            GroupStateTimeout.EventTimeTimeout());
  }

  /** The count key's value: the column's own for one key, a JSON array of them for several. */
  private Column countKey() {
    return settings.countKey().size() == 1
        ? coalesce(col(settings.countKey().get(0)), lit(""))
        : to_json(array(settings.countKey().stream().map(c -> col(c)).toArray(Column[]::new)));
  }

  private static StructType eventType(Dataset<Row> deduped) {
    return deduped.schema();
  }
}
