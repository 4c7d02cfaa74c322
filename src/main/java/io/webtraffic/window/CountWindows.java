package io.webtraffic.window;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Count windows: every {@code size} events of a key make one window, in arrival order (events of
 * one batch in event-time order), like Flink's count windows. Spark has no such window; the job
 * keeps the unfinished window in its stateful operator and flushes it, short, once its key has been
 * quiet for {@code flushAfter} of event time, so a key that stops sending is not left hanging.
 */
public final class CountWindows implements Serializable {
  public static final String CLOSED_BY_COUNT = "count";
  public static final String CLOSED_BY_TIMEOUT = "timeout";

  /** A finished window: final as soon as it is emitted. */
  public record Window(
      String windowId, String key, long startMs, long endMs, long events, String closedBy) {}

  private final long size;
  private final long flushAfterMs;

  public CountWindows(long size, Duration flushAfter) {
    if (size < 1) {
      throw new IllegalArgumentException("count window size must be >= 1");
    }
    this.size = size;
    this.flushAfterMs = flushAfter.toMillis();
  }

  /**
   * Applies one batch's events of a key. An unfinished window whose key went quiet before these
   * events is flushed first.
   *
   * @param open the unfinished window, or null
   * @return the unfinished window afterwards, or null
   */
  public CountState update(
      CountState open, String key, List<WindowEvent> events, long watermarkMs, List<Window> out) {
    CountState current = flush(open, watermarkMs, out);
    for (WindowEvent e : events.stream().sorted(WindowEvent.ORDER).toList()) {
      current = add(current, key, e.timeMs(), e.dedupKey(), out);
    }
    return current;
  }

  /**
   * Adds one event, the next in {@link WindowEvent#ORDER}: the operator streams a key's events
   * through here in that order, so a key holds one unfinished window however many events it has.
   *
   * @return the unfinished window afterwards, or null
   */
  public CountState add(
      CountState open, String key, long timeMs, String dedupKey, List<Window> out) {
    CountState current = open;
    if (current == null) {
      current = new CountState();
      current.setWindowId(idOf(dedupKey));
      current.setKey(key);
      current.setStartMs(timeMs);
      current.setEndMs(timeMs);
    }
    current.setEvents(current.getEvents() + 1);
    current.setStartMs(Math.min(current.getStartMs(), timeMs));
    current.setEndMs(Math.max(current.getEndMs(), timeMs));
    if (current.getEvents() == size) {
      out.add(window(current, CLOSED_BY_COUNT));
      return null;
    }
    return current;
  }

  /**
   * Emits the unfinished window if its key has been quiet for the flush interval, that is when the
   * watermark is at or past its latest event plus the interval.
   *
   * @return the window if it stays open, else null
   */
  public CountState flush(CountState open, long watermarkMs, List<Window> out) {
    if (open != null && open.getEndMs() + flushAfterMs <= watermarkMs) {
      out.add(window(open, CLOSED_BY_TIMEOUT));
      return null;
    }
    return open;
  }

  /** When Spark must call back to flush the window: once the watermark is past this. */
  public OptionalLong timeoutAt(CountState open) {
    return open == null
        ? OptionalLong.empty()
        : OptionalLong.of(open.getEndMs() + flushAfterMs - 1);
  }

  /** A window's id: derived from its first event, so a replayed batch produces the same id. */
  static String idOf(String firstDedupKey) {
    return UUID.nameUUIDFromBytes(("count:" + firstDedupKey).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static Window window(CountState s, String closedBy) {
    return new Window(
        s.getWindowId(), s.getKey(), s.getStartMs(), s.getEndMs(), s.getEvents(), closedBy);
  }
}
