package io.webtraffic.sink;

import io.webtraffic.enrich.Dimensions;
import io.webtraffic.enrich.Geo;
import io.webtraffic.window.Sessions;
import io.webtraffic.window.StatefulWindows;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The session and count-window rows of one micro-batch, collected once for both sinks: a batch
 * changes at most a few rows per active key.
 */
public record WindowRows(
    List<Row> sessions, StructType sessionSchema, List<Row> countWindows, StructType countSchema) {

  static final String CLOSED = Sessions.Status.CLOSED.name().toLowerCase(Locale.ROOT);
  static final String MERGED = Sessions.Status.MERGED.name().toLowerCase(Locale.ROOT);

  /** Added to every session row, after its status. */
  static final List<String> GEO_COLUMNS = List.of("country", "state", "city");

  /**
   * The batch's window rows as the operator reported them; each session gets the country, state and
   * city of its ip (every event of a session has the same ip), looked up here on the driver.
   */
  static WindowRows of(StatefulWindows.Reported reported, Dimensions dimensions) {
    StructType sessionSchema = StatefulWindows.SESSION_SCHEMA;
    for (String field : GEO_COLUMNS) {
      sessionSchema = sessionSchema.add(field, DataTypes.StringType, false);
    }
    StructType schema = sessionSchema;
    List<Row> enriched =
        reported.sessions().stream().map(r -> withGeo(r, schema, dimensions)).toList();
    return new WindowRows(
        enriched, sessionSchema, reported.countWindows(), StatefulWindows.COUNT_SCHEMA);
  }

  private static Row withGeo(Row session, StructType schema, Dimensions dimensions) {
    Geo geo = dimensions.geo(session.getAs("ip"));
    Object[] values = new Object[session.size() + GEO_COLUMNS.size()];
    for (int i = 0; i < session.size(); i++) {
      values[i] = session.get(i);
    }
    values[session.size()] = geo.country();
    values[session.size() + 1] = geo.state();
    values[session.size() + 2] = geo.city();
    return new GenericRowWithSchema(values, schema);
  }

  /** Sessions that became final in this batch: the only ones Iceberg receives. */
  List<Row> closedSessions() {
    return sessions.stream().filter(r -> CLOSED.equals(r.getAs("status"))).toList();
  }
}
