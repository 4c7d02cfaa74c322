package io.webtraffic.window;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.GroupState;

/**
 * The window operator's per-group function. A session group ({@code s…}) passes every event on as
 * it reads it, sorts the events ({@link EventSort}, spilling to disk) and then applies them in that
 * order and reports the sessions that changed; a count group ({@code c…}) sorts only each event's
 * time and key ({@link CountEventSort}) and applies them in that order. So a replayed batch changes
 * the state exactly as the first attempt did, whatever order the shuffle delivered, and one key
 * with most of a batch needs no heap in proportion to its events.
 */
final class WindowFunction
    implements FlatMapGroupsWithStateFunction<String, Row, WindowState, Row> {
  static final char SESSION_GROUP = 's';
  static final char COUNT_GROUP = 'c';

  private final Sessions sessions;
  private final CountWindows counts;
  private final WindowOutput output;

  /** Spill after so many events of a group; null: Spark's {@link EventSort#SPILL_THRESHOLD}. */
  private final Integer spillThreshold;

  WindowFunction(Sessions sessions, CountWindows counts, WindowOutput output) {
    this(sessions, counts, output, null);
  }

  /** With a spill threshold of its own: Spark's is fixed when the session starts (for tests). */
  WindowFunction(
      Sessions sessions, CountWindows counts, WindowOutput output, Integer spillThreshold) {
    this.sessions = sessions;
    this.counts = counts;
    this.output = output;
    this.spillThreshold = spillThreshold;
  }

  @Override
  public Iterator<Row> call(String group, Iterator<Row> rows, GroupState<WindowState> state) {
    WindowState current = state.exists() ? state.get() : new WindowState();
    return group.charAt(0) == SESSION_GROUP
        ? new SessionGroup(rows, state, current)
        : countGroup(rows, state, current).iterator();
  }

  private List<Row> countGroup(Iterator<Row> rows, GroupState<WindowState> state, WindowState w) {
    long watermarkMs = state.getCurrentWatermarkMs();
    List<CountWindows.Window> finished = new ArrayList<>();
    CountState[] open = {counts.flush(w.getCount(), watermarkMs, finished)};
    try (CountEventSort events = new CountEventSort(sort())) {
      String key = null;
      while (rows.hasNext()) {
        Row r = rows.next();
        key = r.getAs("count_key");
        events.add(r.<Long>getAs("time_ms"), r.getAs("dedup_key"));
      }
      String countKey = key;
      events.forEachInOrder(
          (timeMs, dedupKey) ->
              open[0] = counts.add(open[0], countKey, timeMs, dedupKey, finished));
    }
    w.setCount(open[0]);
    save(state, w, counts.timeoutAt(open[0]));
    return finished.stream().map(output::count).toList();
  }

  private EventSort sort() {
    return spillThreshold == null ? EventSort.forTask() : EventSort.forTask(spillThreshold);
  }

  /** Passes the group's events on one by one, then appends the sessions they changed. */
  private final class SessionGroup implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final GroupState<WindowState> state;
    private final WindowState current;
    private final EventSort events = sort();
    private Iterator<Row> changes;

    SessionGroup(Iterator<Row> rows, GroupState<WindowState> state, WindowState current) {
      this.rows = rows;
      this.state = state;
      this.current = current;
    }

    @Override
    public boolean hasNext() {
      if (rows.hasNext()) {
        return true;
      }
      if (changes == null) {
        changes = finish();
      }
      return changes.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (changes != null) {
        return changes.next();
      }
      Row event = rows.next().getAs(WindowOutput.EVENT);
      events.add(windowEvent(event));
      return output.event(event);
    }

    private Iterator<Row> finish() {
      Sessions.Update update = sessions.begin(current.getSessions());
      try {
        events.forEachInOrder(update::add);
      } finally {
        events.close();
      }
      List<Row> out = new ArrayList<>();
      for (Sessions.Change c : update.finish(state.getCurrentWatermarkMs())) {
        out.add(output.session(c.session(), sessions.endMs(c.session()), c.status()));
      }
      save(state, current, sessions.timeoutAt(current.getSessions()));
      return out.iterator();
    }
  }

  private static WindowEvent windowEvent(Row event) {
    Timestamp time = event.getAs("event_time");
    return new WindowEvent(
        time.getTime(),
        event.getAs("dedup_key"),
        event.getAs("ip"),
        event.getAs("host"),
        event.getAs("url"),
        event.getAs("ua_family"),
        event.getAs("device_family"),
        event.getAs("os_family"),
        time.getNanos() % 1_000_000 != 0);
  }

  private static void save(GroupState<WindowState> state, WindowState w, OptionalLong timeout) {
    if (timeout.isEmpty()) {
      state.remove();
    } else {
      state.update(w);
      long watermarkMs = state.getCurrentWatermarkMs();
      state.setTimeoutTimestamp(Math.max(Math.max(1, watermarkMs), timeout.getAsLong()));
    }
  }
}
