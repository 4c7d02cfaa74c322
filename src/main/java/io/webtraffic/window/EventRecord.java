package io.webtraffic.window;

import java.nio.charset.StandardCharsets;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.collection.unsafe.sort.RecordComparator;

/**
 * One {@link WindowEvent} as the bytes {@link EventSort}'s sorter keeps in its pages and spill
 * files. The dedup key comes first, after its length, so the sorter's comparator reads only the key
 * ({@link ByKey}); then a flags byte (whether the time was finer than a millisecond, and which of
 * the other fields are present: any of them may be null); then the present fields, each after its
 * length, in UTF-8. The time is no part of the record: the sorter keeps it as the record's prefix.
 */
final class EventRecord {
  private static final int SUB_MS = 1;
  private static final int FIELDS = 6;

  private EventRecord() {}

  static byte[] encode(WindowEvent e) {
    String[] fields = {e.ip(), e.host(), e.url(), e.uaFamily(), e.deviceFamily(), e.osFamily()};
    byte[] key = e.dedupKey().getBytes(StandardCharsets.UTF_8);
    byte[][] values = new byte[FIELDS][];
    int flags = e.subMs() ? SUB_MS : 0;
    int size = Integer.BYTES + key.length + 1;
    for (int i = 0; i < FIELDS; i++) {
      if (fields[i] != null) {
        values[i] = fields[i].getBytes(StandardCharsets.UTF_8);
        flags |= present(i);
        size += Integer.BYTES + values[i].length;
      }
    }
    byte[] record = new byte[size];
    long at = put(record, Platform.BYTE_ARRAY_OFFSET, key);
    Platform.putByte(record, at++, (byte) flags);
    for (byte[] value : values) {
      if (value != null) {
        at = put(record, at, value);
      }
    }
    return record;
  }

  /** The event whose record starts at {@code offset}, at the time the sorter kept as its prefix. */
  static WindowEvent decode(long timeMs, Object base, long offset) {
    long[] at = {offset};
    String key = string(base, at);
    int flags = Platform.getByte(base, at[0]++);
    String[] fields = new String[FIELDS];
    for (int i = 0; i < FIELDS; i++) {
      if ((flags & present(i)) != 0) {
        fields[i] = string(base, at);
      }
    }
    return new WindowEvent(
        timeMs,
        key,
        fields[0],
        fields[1],
        fields[2],
        fields[3],
        fields[4],
        fields[5],
        (flags & SUB_MS) != 0);
  }

  private static int present(int field) {
    return SUB_MS << (field + 1);
  }

  private static long put(byte[] record, long at, byte[] value) {
    Platform.putInt(record, at, value.length);
    Platform.copyMemory(
        value, Platform.BYTE_ARRAY_OFFSET, record, at + Integer.BYTES, value.length);
    return at + Integer.BYTES + value.length;
  }

  private static String string(Object base, long[] at) {
    int length = Platform.getInt(base, at[0]);
    String value = UTF8String.fromAddress(base, at[0] + Integer.BYTES, length).toString();
    at[0] += Integer.BYTES + length;
    return value;
  }

  /** Records with equal times: by the dedup keys' bytes, unsigned, shorter first on a prefix. */
  static final class ByKey extends RecordComparator {
    @Override
    public int compare(
        Object leftBase,
        long leftOffset,
        int leftLength,
        Object rightBase,
        long rightOffset,
        int rightLength) {
      return key(leftBase, leftOffset).compareTo(key(rightBase, rightOffset));
    }

    private static UTF8String key(Object base, long offset) {
      return UTF8String.fromAddress(base, offset + Integer.BYTES, Platform.getInt(base, offset));
    }
  }
}
