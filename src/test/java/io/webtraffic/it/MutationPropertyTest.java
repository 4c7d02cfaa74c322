package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.generate.EventGenerator;
import io.webtraffic.generate.GeneratedRecord;
import io.webtraffic.generate.GeneratorSettings;
import io.webtraffic.job.BatchReport;
import io.webtraffic.local.SharedStack;
import io.webtraffic.testing.Mutator;
import io.webtraffic.testing.Mutator.Mutated;
import io.webtraffic.testing.Mutator.Mutation;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestPipeline.Message;
import io.webtraffic.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of valid generated events, each mutated at random (seeded; set {@code
 * -Dmutation.seed=<n>} to replay a run), through the real pipeline in several batches: no batch
 * fails, every record read is accounted for exactly once in every table, and the mutations whose
 * outcome is certain land where they must.
 */
@ExtendWith(SharedStack.class)
class MutationPropertyTest {
  static final int RECORDS = 2000;
  static final int MAX_RECORD_BYTES = 16_384;

  @TempDir static Path workDir;

  @Test
  void randomMutationsNeverFailTheJobAndEveryRecordIsAccountedFor() throws Exception {
    long seed = Long.getLong("mutation.seed", 20261123L);
    System.out.printf("[mutations] seed %d (replay with -Dmutation.seed=%d)%n", seed, seed);
    TestPipeline pipeline =
        new TestPipeline(
            "mutations",
            SharedStack.endpoints(),
            workDir,
            Map.of(
                "kafka.max-offsets-per-trigger", "1000",
                "limits.max-record-bytes", String.valueOf(MAX_RECORD_BYTES),
                "postgres.upsert-events", "true"));
    SharedStack.kafka().createTopic(pipeline.topic(), 1);
    Mutator mutator = new Mutator(seed, MAX_RECORD_BYTES + 1);
    List<GeneratedRecord> valid = new ArrayList<>();
    new EventGenerator(
            GeneratorSettings.builder()
                .seed(seed)
                .count(RECORDS)
                .ratePerSecond(50)
                .start(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1)))
                .onlyValid()
                .build())
        .forEachRemaining(valid::add);
    List<Mutated> sent = valid.stream().map(r -> mutator.mutate(r.value())).toList();
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      messages.add(
          new Message(valid.get(i).key(), sent.get(i).value(), valid.get(i).timestampMs()));
    }
    pipeline.send(messages);

    // Returns only if no batch failed: a failed query throws here.
    List<BatchReport> reports = pipeline.runToCompletion();

    assertTrue(reports.stream().filter(r -> r.counts().read() > 0).count() >= 2, "several batches");
    Map<Mutation, Long> mutations = new EnumMap<>(Mutation.class);
    sent.forEach(m -> mutations.merge(m.mutation(), 1L, Long::sum));
    System.out.printf("[mutations] %d records: %s%n", RECORDS, mutations);

    // The accounting identity, exactly: what Kafka holds is what was read, and every record read
    // is in exactly one place.
    long[] recorded = recordedTotals(pipeline);
    long read = recorded[0];
    long events = recorded[1];
    long duplicates = recorded[2];
    long late = recorded[3];
    long dead = recorded[4];
    long filtered = recorded[5];
    assertEquals(RECORDS, read, "records read");
    assertEquals(read, events + duplicates + late + dead + filtered, "accounting identity");
    var spark = TestSpark.session();
    Map<Long, Row> deadLetters =
        spark.table(pipeline.table("dead_letters")).collectAsList().stream()
            .collect(Collectors.toMap(r -> (Long) r.getAs("kafka_offset"), r -> r));
    Set<Long> eventOffsets =
        spark.table(pipeline.table("events")).select("kafka_offset").collectAsList().stream()
            .map(r -> r.getLong(0))
            .collect(Collectors.toSet());
    assertEquals(events, eventOffsets.size(), "events table");
    assertEquals(dead, deadLetters.size(), "dead letters");
    assertEquals(late, spark.table(pipeline.table("late_events")).count(), "late events");
    assertEquals(events, pgCount(pipeline, "processed_events"), "PostgreSQL events");

    // Mutations with one certain outcome, record by record; dead letters keep the bytes sent.
    for (int offset = 0; offset < RECORDS; offset++) {
      Mutated m = sent.get(offset);
      Row letter = deadLetters.get((long) offset);
      String what = "record " + offset + " (" + m.mutation() + ", seed " + seed + ")";
      if (letter != null) {
        assertArrayEquals(m.value(), (byte[]) letter.getAs("raw_value"), what + ": raw bytes");
      }
      switch (m.mutation()) {
        case NONE -> assertTrue(eventOffsets.contains((long) offset), what + " is an event");
        case HUGE_STRING ->
            assertEquals(
                "over_limit:max-record-bytes",
                letter == null ? null : letter.getAs("reason"),
                what);
        case TRUNCATE ->
            assertTrue(
                letter != null
                    && Set.of("empty_record", "malformed_json", "invalid_utf8")
                        .contains((String) letter.getAs("reason")),
                what + " is a dead letter: " + (letter == null ? null : letter.getAs("reason")));
        default -> {}
      }
    }
    System.out.printf(
        "[mutations] events %d, duplicates %d, late %d, dead %d, filtered %d%n",
        events, duplicates, late, dead, filtered);
  }

  static long[] recordedTotals(TestPipeline pipeline) throws Exception {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT sum(records_read), sum(events), sum(duplicates), sum(late),"
                    + " sum(dead_lettered), sum(filtered) FROM "
                    + pipeline.pgTable("pipeline_batches"))) {
      rs.next();
      long[] totals = new long[6];
      for (int i = 0; i < 6; i++) {
        totals[i] = rs.getLong(i + 1);
      }
      return totals;
    }
  }

  static long pgCount(TestPipeline pipeline, String table) throws Exception {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + pipeline.pgTable(table))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
