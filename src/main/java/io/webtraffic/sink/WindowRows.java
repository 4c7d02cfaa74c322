package io.webtraffic.sink;

import io.webtraffic.enrich.Dimensions;
import io.webtraffic.enrich.Geo;
import io.webtraffic.window.Sessions;
import io.webtraffic.window.WindowOutput;
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

  /** The sessions tables' columns: the operator's session row, then the geo columns. */
  public static final StructType SESSION_SCHEMA = withGeo(WindowOutput.SESSION_ROW);

  /**
   * The batch's window rows as the operator reported them ({@link WindowOutput#SESSION_ROW}, {@link
   * WindowOutput#COUNT_ROW}); each session gets the country, state and city of its ip (every event
   * of a session has the same ip), looked up here on the driver.
   */
  public static WindowRows of(List<Row> sessions, List<Row> countWindows, Dimensions dimensions) {
    List<Row> enriched = sessions.stream().map(r -> withGeo(r, dimensions)).toList();
    return new WindowRows(enriched, SESSION_SCHEMA, countWindows, WindowOutput.COUNT_ROW);
  }

  private static StructType withGeo(StructType session) {
    StructType schema = session;
    for (String field : GEO_COLUMNS) {
      schema = schema.add(field, DataTypes.StringType, false);
    }
    return schema;
  }

  private static Row withGeo(Row session, Dimensions dimensions) {
    Geo geo = dimensions.geo(session.getAs("ip"));
    Object[] values = new Object[session.size() + GEO_COLUMNS.size()];
    for (int i = 0; i < session.size(); i++) {
      values[i] = session.get(i);
    }
    values[session.size()] = geo.country();
    values[session.size() + 1] = geo.state();
    values[session.size() + 2] = geo.city();
    return new GenericRowWithSchema(values, SESSION_SCHEMA);
  }

  /** Sessions that became final in this batch: the only ones Iceberg receives. */
  List<Row> closedSessions() {
    return sessions.stream().filter(r -> CLOSED.equals(r.getAs("status"))).toList();
  }
}
