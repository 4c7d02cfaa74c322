package io.webtraffic.sink;

import io.webtraffic.window.Sessions;
import io.webtraffic.window.StatefulWindows;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The session and count-window rows of one micro-batch, collected once for both sinks: a batch
 * changes at most a few rows per active key.
 */
public record WindowRows(
    List<Row> sessions, StructType sessionSchema, List<Row> countWindows, StructType countSchema) {

  static final String CLOSED = Sessions.Status.CLOSED.name().toLowerCase(Locale.ROOT);
  static final String MERGED = Sessions.Status.MERGED.name().toLowerCase(Locale.ROOT);

  static WindowRows of(Dataset<Row> batch) {
    Dataset<Row> sessions = StatefulWindows.sessions(batch);
    Dataset<Row> counts = StatefulWindows.countWindows(batch);
    return new WindowRows(
        sessions.collectAsList(), sessions.schema(), counts.collectAsList(), counts.schema());
  }

  /** Sessions that became final in this batch: the only ones Iceberg receives. */
  List<Row> closedSessions() {
    return sessions.stream().filter(r -> CLOSED.equals(r.getAs("status"))).toList();
  }
}
