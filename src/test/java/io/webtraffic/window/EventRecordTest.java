package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.unsafe.Platform;
import org.junit.jupiter.api.Test;

/**
 * A session group's events go through the sorter as bytes and come back as events: every field, a
 * null one as null (not "" or "null"), must come back as it went in, or a spilled group's sessions
 * would differ from a small group's. And the sorter's key order must be the heap's.
 */
class EventRecordTest {
  static WindowEvent roundTrip(WindowEvent e) {
    return EventRecord.decode(e.timeMs(), EventRecord.encode(e), Platform.BYTE_ARRAY_OFFSET);
  }

  static int byKey(String a, String b) {
    byte[] left = EventRecord.encode(new WindowEvent(1, a, "ip", "h", "/a", "F", "D", "O"));
    byte[] right = EventRecord.encode(new WindowEvent(1, b, null, null, null, null, null, null));
    return new EventRecord.ByKey()
        .compare(
            left,
            Platform.BYTE_ARRAY_OFFSET,
            left.length,
            right,
            Platform.BYTE_ARRAY_OFFSET,
            right.length);
  }

  @Test
  void everyFieldComesBackWithNullsAsNulls() {
    List<WindowEvent> events =
        List.of(
            new WindowEvent(
                1_763_600_000_123L,
                "clé-𝄞",
                "2001:db8::7",
                "shop.example",
                "/café?q=✓",
                "Firefox",
                "iPhone",
                "iOS",
                true),
            new WindowEvent(-5, "k", null, null, null, null, null, null, false),
            new WindowEvent(7, "", "", "", "", "", "", "", false),
            new WindowEvent(8, "k2", "ip", "h", null, "Chrome", "Other", null, true));
    for (WindowEvent e : events) {
      assertEquals(e, roundTrip(e));
    }
  }

  @Test
  void theSortersKeyOrderIsTheHeapsCodePointOrderAndIgnoresTheOtherFields() {
    List<String> keys =
        List.of("", "a", "ab", "b", "k1", "k10", "k2", "é", "\uFF61", "\uFFFF", "𝄞");
    for (String a : keys) {
      for (String b : keys) {
        assertEquals(
            Integer.signum(EventSort.byCodePoints(a, b)), Integer.signum(byKey(a, b)), a + " " + b);
        if (a.codePoints().allMatch(Character::isBmpCodePoint)
            && b.codePoints().allMatch(Character::isBmpCodePoint)) {
          assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(byKey(a, b)), a + " " + b);
        }
      }
    }
    // Beyond U+FFFF, String.compareTo compares UTF-16 surrogates and differs, as documented.
    assertTrue(byKey("\uFFFF", "𝄞") < 0 && "\uFFFF".compareTo("𝄞") > 0);
  }
}
