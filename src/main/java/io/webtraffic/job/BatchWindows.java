package io.webtraffic.job;

import static org.apache.spark.sql.functions.col;

import io.webtraffic.enrich.Dimensions;
import io.webtraffic.sink.WindowRows;
import io.webtraffic.transform.Outcomes;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The batch's changed sessions and finished count windows, brought to the driver for both sinks.
 */
final class BatchWindows {
  private BatchWindows() {}

  static WindowRows collect(Dataset<Row> outcomes, Dimensions dimensions) {
    List<Row> sessions = new ArrayList<>();
    List<Row> counts = new ArrayList<>();
    for (Row r :
        outcomes
            .where(col(Outcomes.OUTCOME).isin(Outcomes.SESSION, Outcomes.COUNT))
            .select(col(Outcomes.SESSION), col(Outcomes.COUNT))
            .collectAsList()) {
      if (!r.isNullAt(0)) {
        sessions.add(r.getStruct(0));
      } else {
        counts.add(r.getStruct(1));
      }
    }
    return WindowRows.of(sessions, counts, dimensions);
  }
}
