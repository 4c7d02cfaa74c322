package io.webtraffic.window;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.collection.unsafe.sort.PrefixComparators;
import org.apache.spark.util.collection.unsafe.sort.RecordComparator;
import org.apache.spark.util.collection.unsafe.sort.UnsafeExternalSorter;
import org.apache.spark.util.collection.unsafe.sort.UnsafeSorterIterator;

/**
 * A count group's events, (time, dedup key), put in the order count windows apply them, with the
 * external sorter Spark's own sort operator uses: it holds what the task's execution memory allows
 * and spills the rest to local disk, so one key's group of any size runs in the executor's heap. A
 * count key is one value for all its events (by default the host), so with a few hosts one group
 * can be most of a batch.
 *
 * <p>Keys compare by their UTF-8 bytes, which is code point order: {@link String#compareTo}'s order
 * for any key without characters beyond U+FFFF.
 */
final class CountEventSort implements AutoCloseable {
  /** Spark's setting for a forced spill after so many records (tests use it; default: never). */
  static final String SPILL_THRESHOLD = "spark.shuffle.spill.numElementsForceSpillThreshold";

  /** Receives the events in order. */
  interface Visitor {
    void accept(long timeMs, String dedupKey);
  }

  private final UnsafeExternalSorter sorter;

  private CountEventSort(TaskContext task, int spillThreshold) {
    SparkEnv env = SparkEnv.get();
    this.sorter =
        UnsafeExternalSorter.create(
            task.taskMemoryManager(),
            env.blockManager(),
            env.serializerManager(),
            task,
            ByUtf8Bytes::new,
            PrefixComparators.LONG,
            1024,
            env.memoryManager().pageSizeBytes(),
            spillThreshold,
            false);
  }

  /** A sorter for the running task, spilling as Spark's settings say. */
  static CountEventSort forTask() {
    return forTask(SparkEnv.get().conf().getInt(SPILL_THRESHOLD, Integer.MAX_VALUE));
  }

  /** A sorter for the running task that spills at least every {@code spillThreshold} events. */
  static CountEventSort forTask(int spillThreshold) {
    TaskContext task = TaskContext.get();
    if (task == null) {
      throw new IllegalStateException("Count events are sorted inside a Spark task only");
    }
    return new CountEventSort(task, spillThreshold);
  }

  void add(long timeMs, String dedupKey) {
    byte[] key = dedupKey.getBytes(StandardCharsets.UTF_8);
    try {
      sorter.insertRecord(key, Platform.BYTE_ARRAY_OFFSET, key.length, timeMs, false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot spill count-window events", e);
    }
  }

  /** Calls {@code visitor} once per event, by time and then dedup key. */
  void forEachInOrder(Visitor visitor) {
    try {
      UnsafeSorterIterator events = sorter.getSortedIterator();
      while (events.hasNext()) {
        events.loadNext();
        byte[] key = new byte[events.getRecordLength()];
        Platform.copyMemory(
            events.getBaseObject(),
            events.getBaseOffset(),
            key,
            Platform.BYTE_ARRAY_OFFSET,
            key.length);
        visitor.accept(events.getKeyPrefix(), new String(key, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read spilled count-window events", e);
    }
  }

  /** Bytes spilled to disk so far. */
  long spilledBytes() {
    return sorter.getSpillSize();
  }

  @Override
  public void close() {
    sorter.cleanupResources();
  }

  /** Equal times: the dedup keys' bytes, unsigned, shorter first on a common prefix. */
  private static final class ByUtf8Bytes extends RecordComparator {
    @Override
    public int compare(
        Object leftBase,
        long leftOffset,
        int leftLength,
        Object rightBase,
        long rightOffset,
        int rightLength) {
      return UTF8String.fromAddress(leftBase, leftOffset, leftLength)
          .compareTo(UTF8String.fromAddress(rightBase, rightOffset, rightLength));
    }
  }
}
