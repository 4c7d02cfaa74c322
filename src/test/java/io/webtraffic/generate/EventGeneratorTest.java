package io.webtraffic.generate;

import static io.webtraffic.generate.TestRecords.BEGINNING;
import static io.webtraffic.generate.TestRecords.generate;
import static io.webtraffic.generate.TestRecords.ofKind;
import static io.webtraffic.generate.TestRecords.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
  private static final Duration ONE_HOUR = Duration.ofHours(1);
  private static final Duration TWO_HOURS = Duration.ofHours(2);
  private static final Duration THREE_DAYS = Duration.ofDays(3);
  private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

  /** Every kind well represented, so one stream exercises all of them. */
  private static final GeneratorSettings MIXED =
      settings()
          .count(10_000)
          .duplicateFraction(0.05)
          .jitterFraction(0.2)
          .maxJitter(FIVE_SECONDS)
          .lateFraction(0.03)
          .lateBy(TWO_HOURS)
          .malformedFraction(0.04)
          .futureFraction(0.02)
          .futureBy(THREE_DAYS)
          .filteredFraction(0.1)
          .build();

  @Test
  void sameSettingsGiveByteIdenticalRecords() {
    List<GeneratedRecord> first = generate(MIXED);
    List<GeneratedRecord> second = generate(MIXED);

    assertEquals(first.size(), second.size());
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(first.get(i).value(), second.get(i).value(), "value of record " + i);
      assertArrayEquals(first.get(i).key(), second.get(i).key(), "key of record " + i);
      assertEquals(
          first.get(i).timestampMs(), second.get(i).timestampMs(), "timestamp of record " + i);
      assertEquals(first.get(i), second.get(i));
    }
  }

  @Test
  void differentSeedsGiveDifferentRecords() {
    List<GeneratedRecord> seed42 = generate(MIXED.toBuilder().count(200).build());
    List<GeneratedRecord> seed43 = generate(MIXED.toBuilder().count(200).seed(43).build());

    long identical =
        java.util.stream.IntStream.range(0, 200)
            .filter(i -> Arrays.equals(seed42.get(i).value(), seed43.get(i).value()))
            .count();
    assertEquals(0, identical);
  }

  @Test
  void kafkaTimestampsFollowTheSimulatedClockExactly() {
    List<GeneratedRecord> records = generate(settings().ratePerSecond(3).count(7).build());

    long start = BEGINNING.toEpochMilli();
    assertEquals(
        List.of(
            start,
            start + 333,
            start + 666,
            start + 1000,
            start + 1333,
            start + 1666,
            start + 2000),
        records.stream().map(GeneratedRecord::timestampMs).toList());
  }

  @Test
  void kindCountsMatchTheFractionsAndAddUpToTheCount() {
    List<GeneratedRecord> records = generate(MIXED);
    GenerationSummary summary = GenerationTally.of(records);

    assertEquals(10_000, records.size());
    assertEquals(10_000, summary.total());
    assertRoughly(0.05, summary.count(Kind.DUPLICATE));
    assertRoughly(0.03, summary.count(Kind.LATE));
    assertRoughly(0.04, summary.count(Kind.MALFORMED));
    assertRoughly(0.02, summary.count(Kind.FUTURE));
    assertRoughly(0.10, summary.count(Kind.FILTERED));
    assertRoughly(0.76, summary.count(Kind.VALID));
    assertEquals(0.2, summary.jittered() / (double) summary.count(Kind.VALID), 0.02);
  }

  @Test
  void stopsAfterTheCount() {
    EventGenerator generator = new EventGenerator(settings().count(3).build());
    generator.next();
    generator.next();
    generator.next();

    assertFalse(generator.hasNext());
    assertEquals(3, generator.generated());
    assertThrows(NoSuchElementException.class, generator::next);
  }

  @Test
  void anUnboundedGeneratorKeepsGoing() {
    EventGenerator generator =
        new EventGenerator(settings().count(GeneratorSettings.UNBOUNDED).build());
    for (int i = 0; i < 20_000; i++) {
      generator.next();
    }

    assertTrue(generator.hasNext());
  }

  @Test
  void duplicatesResendARecentValidRecordByteForByte() {
    List<GeneratedRecord> records = generate(MIXED);

    int duplicates = 0;
    for (int i = 0; i < records.size(); i++) {
      GeneratedRecord duplicate = records.get(i);
      if (duplicate.kind() != Kind.DUPLICATE) {
        continue;
      }
      duplicates++;
      List<GeneratedRecord> recentValid = lastValidBefore(records, i, EventGenerator.RESEND_WINDOW);
      assertTrue(
          recentValid.stream()
              .anyMatch(
                  valid ->
                      Arrays.equals(valid.value(), duplicate.value())
                          && Arrays.equals(valid.key(), duplicate.key())
                          && valid.event().equals(duplicate.event())),
          "record " + i + " re-sends none of the last VALID records");
      assertEquals(
          BEGINNING.toEpochMilli() + i * 10L,
          duplicate.timestampMs(),
          "a re-send has its own timestamp");
    }
    assertTrue(duplicates > 0);
  }

  @Test
  void aDuplicateBeforeAnyValidRecordIsValidInstead() {
    List<GeneratedRecord> records =
        generate(settings().onlyValid().duplicateFraction(1).count(5).build());

    assertEquals(
        List.of(Kind.VALID, Kind.DUPLICATE, Kind.DUPLICATE, Kind.DUPLICATE, Kind.DUPLICATE),
        records.stream().map(GeneratedRecord::kind).toList());
  }

  @Test
  void lateAndFutureEventTimesAreOffsetExactlyAsConfigured() {
    List<GeneratedRecord> records = generate(MIXED);

    for (GeneratedRecord late : ofKind(records, Kind.LATE)) {
      assertEquals(
          Instant.ofEpochMilli(late.timestampMs()).minus(TWO_HOURS), late.event().eventTime());
      assertEquals(
          EventEncoder.eventTime(late.event().eventTime()),
          TestRecords.parse(late).get("event_time").asText());
    }
    for (GeneratedRecord future : ofKind(records, Kind.FUTURE)) {
      assertEquals(
          Instant.ofEpochMilli(future.timestampMs()).plus(THREE_DAYS), future.event().eventTime());
      assertEquals(
          EventEncoder.eventTime(future.event().eventTime()),
          TestRecords.parse(future).get("event_time").asText());
    }
    assertFalse(ofKind(records, Kind.LATE).isEmpty());
    assertFalse(ofKind(records, Kind.FUTURE).isEmpty());
  }

  @Test
  void jitterMovesValidEventsBackWithinTheBound() {
    List<GeneratedRecord> valid = ofKind(generate(MIXED), Kind.VALID);

    long maxSeen = 0;
    for (GeneratedRecord record : valid) {
      long behind = record.timestampMs() - record.event().eventTime().toEpochMilli();
      if (record.jittered()) {
        assertTrue(
            behind >= 1 && behind <= FIVE_SECONDS.toMillis(),
            "jitter " + behind + " ms out of bounds");
        maxSeen = Math.max(maxSeen, behind);
      } else {
        assertEquals(0, behind, "an on-time event's time is its nominal time");
      }
    }
    assertTrue(
        maxSeen > FIVE_SECONDS.toMillis() * 9 / 10, "jitter should spread over the whole range");
  }

  @Test
  void filteredAndMalformedRecordsCarryTheirNominalTime() {
    List<GeneratedRecord> records = generate(MIXED);

    for (GeneratedRecord filtered : ofKind(records, Kind.FILTERED)) {
      assertEquals(filtered.timestampMs(), filtered.event().eventTime().toEpochMilli());
    }
  }

  @Test
  void distinctEventsNeverShareADedupKey() {
    // a high rate and long jitter crowd many events onto the same milliseconds
    GeneratorSettings crowded =
        MIXED.toBuilder()
            .ratePerSecond(20_000)
            .count(50_000)
            .jitterFraction(0.5)
            .maxJitter(ONE_HOUR)
            .build();
    List<GeneratedRecord> records = generate(crowded);

    Set<String> onTime = new HashSet<>();
    Set<String> late = new HashSet<>();
    Set<String> future = new HashSet<>();
    for (GeneratedRecord record : records) {
      Set<String> keys =
          switch (record.kind()) {
            case VALID, FILTERED -> onTime;
            case LATE -> late;
            case FUTURE -> future;
            default -> null;
          };
      if (keys != null) {
        assertTrue(keys.add(dedupKey(record)), "dedup key of " + record + " was used before");
      }
    }
  }

  @Test
  void eachIterationOfTheRecordsStartsAgain() {
    Iterable<GeneratedRecord> records = EventGenerator.records(settings().count(3).build());

    assertEquals(
        records.iterator().next(),
        records.iterator().next(),
        "a new iterator starts from the first record");
  }

  @Test
  void adjacentStartsGiveTheSameContentShiftedInTime() {
    List<GeneratedRecord> early = generate(settings().onlyValid().count(5).build());
    List<GeneratedRecord> late =
        generate(settings().onlyValid().count(5).start(BEGINNING.plusMillis(1)).build());

    assertNotEquals(early.get(0).timestampMs(), late.get(0).timestampMs());
    assertEquals(early.get(0).event().url(), late.get(0).event().url());
  }

  private static List<GeneratedRecord> lastValidBefore(
      List<GeneratedRecord> records, int index, int howMany) {
    List<GeneratedRecord> valid = new java.util.ArrayList<>();
    for (int i = index - 1; i >= 0 && valid.size() < howMany; i--) {
      if (records.get(i).kind() == Kind.VALID) {
        valid.add(records.get(i));
      }
    }
    return valid;
  }

  private static String dedupKey(GeneratedRecord record) {
    WebEvent event = record.event();
    String agent = TestRecords.parse(record).get("user_agent").toString();
    String normalizedAgent =
        agent.startsWith("\"") ? TestRecords.parse(record).get("user_agent").asText() : agent;
    return String.join(
        "|", event.ip(), event.host(), event.url(), event.eventTime().toString(), normalizedAgent);
  }

  private static void assertRoughly(double fraction, long count) {
    // within four standard deviations of a binomial over 10,000 draws
    double expected = fraction * 10_000;
    double tolerance = 4 * Math.sqrt(10_000 * fraction * (1 - fraction));
    assertEquals(expected, count, tolerance, "count for fraction " + fraction);
  }
}
