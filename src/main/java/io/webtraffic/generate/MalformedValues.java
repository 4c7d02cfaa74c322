package io.webtraffic.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Breaks an otherwise valid event in one of the ways real producers and proxies do. These are the
 * only values the generator does not build through Jackson: being invalid is their point.
 */
final class MalformedValues {
  /** Values no timestamp parser (Spark's lenient fallback included) reads as a time. */
  private static final List<String> BAD_EVENT_TIMES =
      List.of("yesterday", "tomorrow at noon", "20/11/2026 10:15:30");

  private MalformedValues() {}

  /** The broken value, and the key to send it with (null for text that is not an event at all). */
  record Broken(byte[] key, byte[] value) {}

  static Broken of(Malformation malformation, EventDraft draft, SplittableRandom random) {
    byte[] key = draft.event().ip().getBytes(StandardCharsets.UTF_8);
    return switch (malformation) {
      case TRUNCATED_JSON -> new Broken(key, truncated(EventEncoder.bytes(draft), random));
      case NOT_JSON -> new Broken(null, notJson(draft.event(), random));
      case MISSING_HOST -> new Broken(key, without(draft, "host"));
      case MISSING_EVENT_TIME -> new Broken(key, without(draft, "event_time"));
      case BAD_EVENT_TIME -> {
        ObjectNode tree = EventEncoder.tree(draft);
        tree.put("event_time", SitePages.pick(BAD_EVENT_TIMES, random));
        yield new Broken(key, EventEncoder.bytes(tree));
      }
    };
  }

  /** Cut somewhere in the second half, always before the closing brace, so it can never parse. */
  private static byte[] truncated(byte[] json, SplittableRandom random) {
    int half = json.length / 2;
    return Arrays.copyOf(json, half + random.nextInt(json.length - 1 - half));
  }

  private static byte[] notJson(WebEvent event, SplittableRandom random) {
    String text =
        switch (random.nextInt(3)) {
          case 0 -> "GET " + event.url() + " HTTP/1.1";
          case 1 -> "<html><body><h1>502 Bad Gateway</h1></body></html>";
          default -> "url=" + event.url() + " host=" + event.host() + " ip=" + event.ip();
        };
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] without(EventDraft draft, String field) {
    ObjectNode tree = EventEncoder.tree(draft);
    tree.remove(field);
    return EventEncoder.bytes(tree);
  }
}
