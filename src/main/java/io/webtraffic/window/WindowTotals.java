package io.webtraffic.window;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The running hit counts of the tumbling and sliding windows that are still open, carried from one
 * micro-batch to the next on the driver. A window that closes in batch N cannot change in batch N:
 * an event inside it is at or below N's watermark, so it is late. Its final count is therefore the
 * total carried into N, and the Iceberg windows are written from here without reading any events.
 */
public final class WindowTotals {
  /**
   * One window's hits; {@code referrer} is null in the by-host kinds and for a missing referrer.
   */
  public record Hit(long startMs, long endMs, String host, String referrer, long hits) {}

  /** The windows still open after a batch, per kind. */
  public record Open(List<Hit> byHost, List<Hit> byHostReferrer, List<Hit> sliding) {
    public static final Open NONE = new Open(List.of(), List.of(), List.of());
  }

  /**
   * The windows a batch closed, as rows of the Iceberg tables: (window_start, window_end, host,
   * hits), with referrer before hits in {@code byHostReferrer}.
   */
  public record Closed(List<Row> byHost, List<Row> byHostReferrer, List<Row> sliding) {
    public boolean isEmpty() {
      return byHost.isEmpty() && byHostReferrer.isEmpty() && sliding.isEmpty();
    }
  }

  /** What {@link #advance} returns: the windows to carry on, and those that closed. */
  public record Step(Open open, Closed closed) {}

  /**
   * Adds a batch's window increments to the open windows, then closes every window whose end is at
   * or below the batch's watermark.
   */
  public Step advance(Open open, HitBuckets.WindowHits hits, long watermarkMs) {
    List<List<Hit>> kinds = new ArrayList<>();
    List<List<Row>> closed = new ArrayList<>();
    List<List<Hit>> before = List.of(open.byHost(), open.byHostReferrer(), open.sliding());
    List<List<Row>> added = List.of(hits.byHost(), hits.byHostReferrer(), hits.sliding());
    for (int k = 0; k < 3; k++) {
      boolean withReferrer = k == 1;
      Map<Key, Long> totals = new LinkedHashMap<>();
      before.get(k).forEach(h -> totals.merge(Key.of(h), h.hits(), Long::sum));
      for (Row r : added.get(k)) {
        totals.merge(Key.of(r, withReferrer), r.getLong(r.size() - 1), Long::sum);
      }
      List<Hit> stillOpen = new ArrayList<>();
      List<Row> done = new ArrayList<>();
      totals.forEach(
          (key, n) -> {
            if (key.endMs() <= watermarkMs) {
              done.add(key.row(n, withReferrer));
            } else {
              stillOpen.add(new Hit(key.startMs(), key.endMs(), key.host(), key.referrer(), n));
            }
          });
      kinds.add(stillOpen);
      closed.add(done);
    }
    return new Step(
        new Open(kinds.get(0), kinds.get(1), kinds.get(2)),
        new Closed(closed.get(0), closed.get(1), closed.get(2)));
  }

  private record Key(long startMs, long endMs, String host, String referrer) {
    static Key of(Hit h) {
      return new Key(h.startMs(), h.endMs(), h.host(), h.referrer());
    }

    static Key of(Row r, boolean withReferrer) {
      return new Key(
          ((Timestamp) r.get(0)).getTime(),
          ((Timestamp) r.get(1)).getTime(),
          r.getString(2),
          withReferrer ? r.getString(3) : null);
    }

    Row row(long hits, boolean withReferrer) {
      Timestamp start = new Timestamp(startMs);
      Timestamp end = new Timestamp(endMs);
      return withReferrer
          ? RowFactory.create(start, end, host, referrer, hits)
          : RowFactory.create(start, end, host, hits);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && startMs == k.startMs
          && endMs == k.endMs
          && Objects.equals(host, k.host)
          && Objects.equals(referrer, k.referrer);
    }

    @Override
    public int hashCode() {
      return Objects.hash(startMs, endMs, host, referrer);
    }
  }
}
