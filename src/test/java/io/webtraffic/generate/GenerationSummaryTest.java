package io.webtraffic.generate;

import static io.webtraffic.generate.TestRecords.BEGINNING;
import static io.webtraffic.generate.TestRecords.generate;
import static io.webtraffic.generate.TestRecords.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationSummaryTest {

  @Test
  void countsEveryKindAndTheNominalTimeSpan() {
    List<GeneratedRecord> records = generate(settings().count(1000).build());

    GenerationSummary summary = GenerationTally.of(records);

    assertEquals(1000, summary.total());
    assertEquals(BEGINNING, summary.firstNominal());
    assertEquals(BEGINNING.plusMillis(9990), summary.lastNominal());
    assertEquals(records.stream().filter(GeneratedRecord::jittered).count(), summary.jittered());
    for (Kind kind : Kind.values()) {
      assertEquals(
          records.stream().filter(r -> r.kind() == kind).count(), summary.count(kind), kind.name());
    }
  }

  @Test
  void printsATableWithARowPerKind() {
    GenerationSummary summary =
        new GenerationSummary(
            Map.of(Kind.VALID, 90L, Kind.MALFORMED, 10L), 7, BEGINNING, BEGINNING.plusSeconds(1));

    String table = summary.toTable();

    assertTrue(table.contains("VALID                90  (7 out of order)"), table);
    assertTrue(table.contains("DUPLICATE             0"), table);
    assertTrue(table.contains("MALFORMED            10"), table);
    assertTrue(table.contains("total               100"), table);
    assertTrue(table.contains("nominal time 2026-11-20T10:00:00Z .. 2026-11-20T10:00:01Z"), table);
  }

  @Test
  void anEmptyRunHasNoTimeSpan() {
    GenerationSummary summary = new GenerationTally().summary();

    assertEquals(0, summary.total());
    assertNull(summary.firstNominal());
    assertTrue(summary.toTable().contains("total                 0"));
  }
}
