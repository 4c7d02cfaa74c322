package io.webtraffic.window;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.util.collection.unsafe.sort.PrefixComparators;
import org.apache.spark.util.collection.unsafe.sort.UnsafeExternalSorter;
import org.apache.spark.util.collection.unsafe.sort.UnsafeSorterIterator;

/**
 * A group's events put in the order the windows apply them, by time and then dedup key, so a
 * replayed batch changes the state exactly as the first attempt did, whatever order the shuffle
 * delivered. One key's group can be most of a batch (a count key such as the host; one ip on one
 * host, a bot or a backlog): past a few events the group goes to the external sorter Spark's own
 * sort operator uses, as {@link EventRecord}s with the time as prefix, which holds what the task's
 * execution memory allows and spills the rest to local disk. So a group of any size runs in the
 * executor's heap.
 *
 * <p>A group's first {@value #IN_HEAP} events (or up to the spill threshold, if lower) stay objects
 * sorted in the heap: most session groups are a handful of events, and setting up and freeing a
 * sorter per group costs about ten times as much as sorting them (14 µs against 1.3 µs a group of
 * three, measured in a local task). Outside a Spark task (the window function called directly, as
 * unit tests do) there is no sorter and every event stays in the heap.
 *
 * <p>Keys compare by their UTF-8 bytes, which is code point order ({@link #ORDER} in the heap):
 * {@link WindowEvent#ORDER} for any key without characters beyond U+FFFF.
 */
final class EventSort implements AutoCloseable {
  /** Spark's setting for a forced spill after so many records (tests use it; default: never). */
  static final String SPILL_THRESHOLD = "spark.shuffle.spill.numElementsForceSpillThreshold";

  static final int IN_HEAP = 1_024;

  /** The sorter's order for events in the heap: time, then the keys' code points. */
  static final Comparator<WindowEvent> ORDER =
      Comparator.comparingLong(WindowEvent::timeMs)
          .thenComparing(WindowEvent::dedupKey, EventSort::byCodePoints);

  private final TaskContext task;
  private final int spillThreshold;
  private final List<WindowEvent> held = new ArrayList<>();
  private UnsafeExternalSorter sorter;

  private EventSort(TaskContext task, int spillThreshold) {
    this.task = task;
    this.spillThreshold = spillThreshold;
  }

  /** A sort for the running task, spilling as Spark's settings say. */
  static EventSort forTask() {
    SparkEnv env = SparkEnv.get();
    return forTask(
        env == null ? Integer.MAX_VALUE : env.conf().getInt(SPILL_THRESHOLD, Integer.MAX_VALUE));
  }

  /** A sort for the running task that holds at most {@code spillThreshold} events in memory. */
  static EventSort forTask(int spillThreshold) {
    return new EventSort(TaskContext.get(), spillThreshold);
  }

  void add(WindowEvent e) {
    if (sorter == null) {
      if (task == null || held.size() < Math.min(IN_HEAP, spillThreshold)) {
        held.add(e);
        return;
      }
      sorter = newSorter();
      held.forEach(this::insert);
      held.clear();
    }
    insert(e);
  }

  /** Calls {@code visitor} once per event, by time and then dedup key. */
  void forEachInOrder(Consumer<WindowEvent> visitor) {
    if (sorter == null) {
      held.sort(ORDER);
      held.forEach(visitor);
      return;
    }
    try {
      UnsafeSorterIterator records = sorter.getSortedIterator();
      while (records.hasNext()) {
        records.loadNext();
        visitor.accept(
            EventRecord.decode(
                records.getKeyPrefix(), records.getBaseObject(), records.getBaseOffset()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read spilled window events", e);
    }
  }

  /** Bytes spilled to disk so far. */
  long spilledBytes() {
    return sorter == null ? 0 : sorter.getSpillSize();
  }

  @Override
  public void close() {
    held.clear();
    if (sorter != null) {
      sorter.cleanupResources();
    }
  }

  private UnsafeExternalSorter newSorter() {
    SparkEnv env = SparkEnv.get();
    return UnsafeExternalSorter.create(
        task.taskMemoryManager(),
        env.blockManager(),
        env.serializerManager(),
        task,
        EventRecord.ByKey::new,
        PrefixComparators.LONG,
        1024,
        env.memoryManager().pageSizeBytes(),
        spillThreshold,
        false);
  }

  private void insert(WindowEvent e) {
    byte[] record = EventRecord.encode(e);
    try {
      sorter.insertRecord(record, Platform.BYTE_ARRAY_OFFSET, record.length, e.timeMs(), false);
    } catch (IOException ex) {
      throw new UncheckedIOException("Cannot spill window events", ex);
    }
  }

  /** Code point order, which is the order of the strings' UTF-8 bytes. */
  static int byCodePoints(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(i);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
    }
    return Integer.compare(a.length(), b.length());
  }
}
