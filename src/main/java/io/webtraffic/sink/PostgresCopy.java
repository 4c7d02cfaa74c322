package io.webtraffic.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.postgresql.PGConnection;

/**
 * Streams rows into a table with COPY (CSV, see {@link CsvRows}): the way a batch's rows reach the
 * staging tables, much cheaper than one INSERT per row, and values travel as data, never as SQL.
 */
final class PostgresCopy {
  private PostgresCopy() {}

  /** COPYs rows into a staging table whose columns are the rows' fields, in order. */
  static void stage(Connection c, String table, List<Row> rows) throws SQLException, IOException {
    copy(
        c,
        table,
        rows.iterator(),
        r -> CsvRows.line(IntStream.range(0, r.size()).mapToObj(r::get).toArray()));
  }

  /** COPYs rows into a table, each rendered as one CSV line by {@code toLine}. */
  static void copy(Connection c, String table, Iterator<Row> rows, Function<Row, String> toLine)
      throws SQLException, IOException {
    c.unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn("COPY " + table + " FROM STDIN (FORMAT csv)", CsvRows.reader(rows, toLine));
  }
}
