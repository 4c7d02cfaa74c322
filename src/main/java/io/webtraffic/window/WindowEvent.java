package io.webtraffic.window;

import java.util.Comparator;

/**
 * The fields of one deduplicated event that the stateful windows need. Events are applied in {@link
 * #ORDER}, so a batch replayed after a crash changes the state exactly as it did the first time,
 * whatever order the shuffle delivered its rows in.
 *
 * <p>The windows keep milliseconds; an event time can be finer (Spark keeps microseconds). {@code
 * timeMs} is the time rounded down and {@code subMs} says whether anything was dropped, so a
 * comparison that must not move an event earlier can use {@link #ceilMs()}.
 */
public record WindowEvent(
    long timeMs,
    String dedupKey,
    String ip,
    String host,
    String url,
    String uaFamily,
    String deviceFamily,
    String osFamily,
    boolean subMs) {

  /** An event at a whole millisecond. */
  public WindowEvent(
      long timeMs,
      String dedupKey,
      String ip,
      String host,
      String url,
      String uaFamily,
      String deviceFamily,
      String osFamily) {
    this(timeMs, dedupKey, ip, host, url, uaFamily, deviceFamily, osFamily, false);
  }

  /** The event time rounded up to the millisecond. */
  public long ceilMs() {
    return subMs ? timeMs + 1 : timeMs;
  }

  public static final Comparator<WindowEvent> ORDER =
      Comparator.comparingLong(WindowEvent::timeMs).thenComparing(WindowEvent::dedupKey);
}
