package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.testing.TestSpark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;

/**
 * One count key's events, many more than the sorter may hold, in shuffled order: inside a real
 * Spark task the sorter spills to disk again and again and still gives every event once, in (time,
 * dedup key) order. This is what keeps a skewed count key (one host with most of a batch) from
 * needing memory in proportion to its events.
 */
class CountEventSortTest {
  static final int EVENTS = 20_000;
  static final int HELD = 1_000;

  record Event(long timeMs, String key) implements java.io.Serializable {}

  static List<Event> shuffledEvents() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      // 500 distinct times, so 40 events share each; keys of different lengths and alphabets.
      String key = (i % 3 == 0 ? "é" : i % 3 == 1 ? "k" : "") + Integer.toString(i, 7);
      events.add(new Event(1_763_600_000_000L + (i * 7919L) % 500, key));
    }
    java.util.Collections.shuffle(events, new Random(42));
    return events;
  }

  @Test
  void aGroupLargerThanTheSorterHoldsSpillsAndComesBackInOrder() {
    List<Event> input = shuffledEvents();
    List<String> expected =
        input.stream()
            .sorted(Comparator.comparingLong(Event::timeMs).thenComparing(Event::key))
            .map(e -> e.timeMs() + " " + e.key())
            .toList();

    List<String> out =
        TestSpark.session()
            .range(0, 1, 1, 1)
            .mapPartitions(
                (MapPartitionsFunction<Long, String>)
                    ignored -> {
                      List<String> sorted = new ArrayList<>();
                      try (CountEventSort sort = CountEventSort.forTask(HELD)) {
                        for (Event e : input) {
                          sort.add(e.timeMs(), e.key());
                        }
                        sorted.add("spilled " + sort.spilledBytes());
                        sort.forEachInOrder((t, k) -> sorted.add(t + " " + k));
                      }
                      return sorted.iterator();
                    },
                Encoders.STRING())
            .collectAsList();

    long spilled = Long.parseLong(out.get(0).substring("spilled ".length()));
    assertTrue(spilled > 0, "held at most " + HELD + " events in memory, spilled the rest");
    assertEquals(expected, out.subList(1, out.size()));
  }
}
