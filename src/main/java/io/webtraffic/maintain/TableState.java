package io.webtraffic.maintain;

import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/** What a table holds at one moment, from its current snapshot's summary and its history. */
public record TableState(long dataFiles, long bytes, long records, int snapshots, int manifests) {

  static TableState of(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return new TableState(0, 0, 0, 0, 0);
    }
    Map<String, String> summary = current.summary();
    int snapshots = 0;
    for (Snapshot ignored : table.snapshots()) {
      snapshots++;
    }
    return new TableState(
        number(summary, "total-data-files"),
        number(summary, "total-files-size"),
        number(summary, "total-records"),
        snapshots,
        current.allManifests(table.io()).size());
  }

  private static long number(Map<String, String> summary, String key) {
    String value = summary.get(key);
    return value == null ? 0 : Long.parseLong(value);
  }
}
