package io.webtraffic.window;

/**
 * A count group's events, (time, dedup key), in the order count windows apply them: an {@link
 * EventSort} of events without the other fields, spilling to disk. A count key is one value for all
 * its events (by default the host), so with a few hosts one group can be most of a batch.
 */
final class CountEventSort implements AutoCloseable {
  /** Receives the events in order. */
  interface Visitor {
    void accept(long timeMs, String dedupKey);
  }

  private final EventSort events;

  CountEventSort(EventSort events) {
    this.events = events;
  }

  /** A sorter for the running task, spilling as Spark's settings say. */
  static CountEventSort forTask() {
    return new CountEventSort(EventSort.forTask());
  }

  /** A sorter for the running task that holds at most {@code spillThreshold} events in memory. */
  static CountEventSort forTask(int spillThreshold) {
    return new CountEventSort(EventSort.forTask(spillThreshold));
  }

  void add(long timeMs, String dedupKey) {
    events.add(new WindowEvent(timeMs, dedupKey, null, null, null, null, null, null));
  }

  /** Calls {@code visitor} once per event, by time and then dedup key. */
  void forEachInOrder(Visitor visitor) {
    events.forEachInOrder(e -> visitor.accept(e.timeMs(), e.dedupKey()));
  }

  /** Bytes spilled to disk so far. */
  long spilledBytes() {
    return events.spilledBytes();
  }

  @Override
  public void close() {
    events.close();
  }
}
