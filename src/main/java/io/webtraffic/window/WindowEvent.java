package io.webtraffic.window;

import java.util.Comparator;

/**
 * The fields of one deduplicated event that the stateful windows need. Events are applied in {@link
 * #ORDER}, so a batch replayed after a crash changes the state exactly as it did the first time,
 * whatever order the shuffle delivered its rows in.
 */
public record WindowEvent(
    long timeMs,
    String dedupKey,
    String ip,
    String host,
    String url,
    String uaFamily,
    String deviceFamily,
    String osFamily) {

  public static final Comparator<WindowEvent> ORDER =
      Comparator.comparingLong(WindowEvent::timeMs).thenComparing(WindowEvent::dedupKey);
}
