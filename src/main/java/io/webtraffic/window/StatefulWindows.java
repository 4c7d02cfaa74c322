package io.webtraffic.window;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import io.webtraffic.config.PipelineConfig.WindowSettings;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Session and count windows in one stateful operator after the deduplication. Each deduplicated
 * event is sent to two window groups, its (ip, host) session group and its count-window key group;
 * the operator keeps each group's open windows in the state store and emits a row whenever a window
 * changes, with event-time timeouts closing windows whose key has gone quiet.
 *
 * <p>One operator, not two: Spark refuses a stateful operator after one that uses event-time
 * timeouts, and two operators side by side would each need their own copy of the deduplication. The
 * same operator also reports which rows the deduplication kept ({@link #KEPT} rows, one per event
 * of a count group), so the batch needs no second branch for that.
 */
public final class StatefulWindows {
  public static final String ROW_KIND = "row_kind";
  public static final String KEPT = "kept";
  public static final String SESSION = "session";
  public static final String COUNT = "count";

  /** The rows the operator emits; every field but row_kind is null where it does not apply. */
  public static final StructType OUTPUT =
      new StructType()
          .add(ROW_KIND, DataTypes.StringType, false)
          .add("kept_partition", DataTypes.IntegerType)
          .add("kept_offset", DataTypes.LongType)
          .add("session_id", DataTypes.StringType)
          .add("session_ip", DataTypes.StringType)
          .add("session_host", DataTypes.StringType)
          .add("session_start", DataTypes.TimestampType)
          .add("session_end", DataTypes.TimestampType)
          .add("session_last_event_time", DataTypes.TimestampType)
          .add("session_events", DataTypes.LongType)
          .add("session_distinct_urls", DataTypes.LongType)
          .add("session_ua_family", DataTypes.StringType)
          .add("session_device_family", DataTypes.StringType)
          .add("session_os_family", DataTypes.StringType)
          .add("session_status", DataTypes.StringType)
          .add("count_window_id", DataTypes.StringType)
          .add("count_key", DataTypes.StringType)
          .add("count_start", DataTypes.TimestampType)
          .add("count_end", DataTypes.TimestampType)
          .add("count_events", DataTypes.LongType)
          .add("count_closed_by", DataTypes.StringType);

  private final WindowSettings settings;

  public StatefulWindows(WindowSettings settings) {
    this.settings = settings;
  }

  /**
   * @param deduped the deduplication's output: every record it kept, events and others, with all
   *     the columns of the shared shuffle
   */
  public Dataset<Row> apply(Dataset<Row> deduped) {
    // The fingerprint reads every column, so this branch keeps the whole shuffle output and Spark
    // can reuse the one exchange that the job's other branch reads.
    Column[] all = Arrays.stream(deduped.columns()).map(c -> col(c)).toArray(Column[]::new);
    Column countKey =
        settings.countKey().size() == 1
            ? coalesce(col(settings.countKey().get(0)), lit(""))
            : to_json(array(settings.countKey().stream().map(c -> col(c)).toArray(Column[]::new)));
    Dataset<Row> input =
        deduped
            .where(col("wm_time").isNotNull())
            .withColumn("fingerprint", xxhash64(all))
            .withColumn("count_key", countKey)
            .withColumn(
                "group",
                explode(
                    array(
                        struct(
                            lit(COUNT).as("kind"),
                            to_json(array(lit(COUNT), col("count_key"))).as("id")),
                        struct(
                            lit(SESSION).as("kind"),
                            to_json(array(lit(SESSION), col("ip"), col("host"))).as("id")))))
            .select(
                col("group.id").as("window_group"),
                col("group.kind").as("window_kind"),
                col("wm_time"),
                col("event_time"),
                col("dedup_key"),
                col("ip"),
                col("host"),
                col("url"),
                col("ua_family"),
                col("device_family"),
                col("os_family"),
                col("count_key"),
                col("kafka_partition"),
                col("kafka_offset"),
                col("fingerprint"));
    return input
        .groupBy(col("window_group"))
        .as(Encoders.STRING(), Encoders.row(input.schema()))
        .flatMapGroupsWithState(
            new WindowFunction(
                new Sessions(settings.sessionGap()),
                new CountWindows(settings.countSize(), settings.countFlushAfter())),
            OutputMode.Append(),
            Encoders.bean(WindowState.class),
            Encoders.row(OUTPUT),
            GroupStateTimeout.EventTimeTimeout());
  }

  /** Operator output columns of a session row, and their names in the sessions tables. */
  private static final String[][] SESSION_COLUMNS = {
    {"session_id", "session_id"},
    {"session_ip", "ip"},
    {"session_host", "host"},
    {"session_start", "session_start"},
    {"session_end", "session_end"},
    {"session_last_event_time", "last_event_time"},
    {"session_events", "events"},
    {"session_distinct_urls", "distinct_urls"},
    {"session_ua_family", "ua_family"},
    {"session_device_family", "device_family"},
    {"session_os_family", "os_family"},
    {"session_status", "status"}
  };

  /** Operator output columns of a count-window row, and their names in the count_windows tables. */
  private static final String[][] COUNT_COLUMNS = {
    {"count_window_id", "window_id"},
    {"count_key", "window_key"},
    {"count_start", "window_start"},
    {"count_end", "window_end"},
    {"count_events", "events"},
    {"count_closed_by", "closed_by"}
  };

  /** Schema of {@link Reported#sessions()}. */
  public static final StructType SESSION_SCHEMA = renamed(SESSION_COLUMNS);

  /** Schema of {@link Reported#countWindows()}. */
  public static final StructType COUNT_SCHEMA = renamed(COUNT_COLUMNS);

  private static final StructType KEPT_SCHEMA =
      new StructType()
          .add("kafka_partition", DataTypes.IntegerType, false)
          .add("kafka_offset", DataTypes.LongType, false);

  /**
   * What the operator reported in one micro-batch, on the driver: the (kafka_partition,
   * kafka_offset) of every row the deduplication kept; the sessions that changed, with their
   * status: open, closed (final) or merged (into another session, so its row goes); and the count
   * windows finished, each final.
   */
  public record Reported(List<Row> kept, List<Row> sessions, List<Row> countWindows) {

    /** The kept rows' coordinates as a small local relation, for a broadcast join. */
    public Dataset<Row> keptRows(SparkSession spark) {
      return spark.createDataFrame(kept, KEPT_SCHEMA);
    }
  }

  /**
   * Collects the operator's rows of a batch: one per kept event (two numbers) and one per changed
   * session or count window. Run first on a persisted batch, this is also the action that runs the
   * batch itself.
   */
  public static Reported reported(Dataset<Row> batch) {
    List<Row> kept = new ArrayList<>();
    List<Row> sessions = new ArrayList<>();
    List<Row> countWindows = new ArrayList<>();
    List<Row> rows =
        batch
            .where(col(ROW_KIND).isNotNull())
            .select(Arrays.stream(OUTPUT.fieldNames()).map(f -> col(f)).toArray(Column[]::new))
            .collectAsList();
    for (Row r : rows) {
      switch (r.getString(0)) {
        case KEPT -> kept.add(RowFactory.create(r.get(1), r.get(2)));
        case SESSION -> sessions.add(project(r, SESSION_COLUMNS, SESSION_SCHEMA));
        case COUNT -> countWindows.add(project(r, COUNT_COLUMNS, COUNT_SCHEMA));
        default -> throw new IllegalStateException("Unknown row kind " + r.getString(0));
      }
    }
    return new Reported(kept, sessions, countWindows);
  }

  private static StructType renamed(String[][] columns) {
    StructType schema = new StructType();
    for (String[] c : columns) {
      StructField f = OUTPUT.apply(c[0]);
      schema = schema.add(c[1], f.dataType(), f.nullable());
    }
    return schema;
  }

  private static Row project(Row output, String[][] columns, StructType schema) {
    Object[] values = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      values[i] = output.get(OUTPUT.fieldIndex(columns[i][0]));
    }
    return new GenericRowWithSchema(values, schema);
  }

  /** The per-group function: dispatches to the session or count-window logic. */
  static final class WindowFunction
      implements FlatMapGroupsWithStateFunction<String, Row, WindowState, Row> {
    private final Sessions sessions;
    private final CountWindows counts;

    WindowFunction(Sessions sessions, CountWindows counts) {
      this.sessions = sessions;
      this.counts = counts;
    }

    @Override
    public Iterator<Row> call(String group, Iterator<Row> rows, GroupState<WindowState> state) {
      long watermarkMs = state.getCurrentWatermarkMs();
      WindowState current = state.exists() ? state.get() : new WindowState();
      List<Row> out = new ArrayList<>();
      List<WindowEvent> events = new ArrayList<>();
      String kind = null;
      String countKey = null;
      while (rows.hasNext()) {
        Row r = rows.next();
        kind = r.getAs("window_kind");
        countKey = r.getAs("count_key");
        events.add(event(r));
        if (COUNT.equals(kind)) {
          out.add(kept(r.<Integer>getAs("kafka_partition"), r.<Long>getAs("kafka_offset")));
        }
      }
      boolean isCount = kind == null ? current.getCount() != null : kind.equals(COUNT);

      OptionalLong timeout;
      if (isCount) {
        List<CountWindows.Window> windows = new ArrayList<>();
        current.setCount(counts.update(current.getCount(), countKey, events, watermarkMs, windows));
        windows.forEach(w -> out.add(countRow(w)));
        timeout = counts.timeoutAt(current.getCount());
      } else {
        sessions
            .update(current.getSessions(), events, watermarkMs)
            .forEach(c -> out.add(sessionRow(c)));
        timeout = sessions.timeoutAt(current.getSessions());
      }

      if (timeout.isEmpty()) {
        state.remove();
      } else {
        state.update(current);
        state.setTimeoutTimestamp(Math.max(Math.max(1, watermarkMs), timeout.getAsLong()));
      }
      return out.iterator();
    }

    private static WindowEvent event(Row r) {
      Timestamp time = r.getAs("event_time");
      return new WindowEvent(
          time.getTime(),
          r.getAs("dedup_key"),
          r.getAs("ip"),
          r.getAs("host"),
          r.getAs("url"),
          r.getAs("ua_family"),
          r.getAs("device_family"),
          r.getAs("os_family"),
          time.getNanos() % 1_000_000 != 0);
    }

    private static Row kept(Integer partition, Long offset) {
      Object[] v = new Object[OUTPUT.size()];
      v[0] = KEPT;
      v[1] = partition;
      v[2] = offset;
      return RowFactory.create(v);
    }

    /** A session row: the window is [first event, last event + gap], as session_window gives it. */
    private Row sessionRow(Sessions.Change c) {
      SessionState s = c.session();
      Object[] v = new Object[OUTPUT.size()];
      v[0] = SESSION;
      set(v, "session_id", s.getId());
      set(v, "session_ip", s.getIp());
      set(v, "session_host", s.getHost());
      set(v, "session_start", new Timestamp(s.getStartMs()));
      set(v, "session_end", new Timestamp(sessions.endMs(s)));
      set(v, "session_last_event_time", new Timestamp(s.getLastMs()));
      set(v, "session_events", s.getEvents());
      set(v, "session_distinct_urls", (long) s.getUrls().size());
      set(v, "session_ua_family", s.getUaFamily());
      set(v, "session_device_family", s.getDeviceFamily());
      set(v, "session_os_family", s.getOsFamily());
      set(v, "session_status", c.status().name().toLowerCase(java.util.Locale.ROOT));
      return RowFactory.create(v);
    }

    private static Row countRow(CountWindows.Window w) {
      Object[] v = new Object[OUTPUT.size()];
      v[0] = COUNT;
      set(v, "count_window_id", w.windowId());
      set(v, "count_key", w.key());
      set(v, "count_start", new Timestamp(w.startMs()));
      set(v, "count_end", new Timestamp(w.endMs()));
      set(v, "count_events", w.events());
      set(v, "count_closed_by", w.closedBy());
      return RowFactory.create(v);
    }

    private static void set(Object[] values, String field, Object value) {
      values[OUTPUT.fieldIndex(field)] = value;
    }
  }
}
