package io.webtraffic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.testing.CliRun;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** A rewind time that is not an instant, or lies ahead, is misuse: exit 2 before any work. */
class RewindCommandTest {
  @Test
  void aTimeThatIsNotAnInstantIsRefused() {
    CliRun r = CliRun.of("rewind", "--to", "yesterday 9am");
    assertEquals(2, r.code());
    assertEquals(
        "Invalid --to: 'yesterday 9am' (an ISO-8601 instant such as 2026-11-20T09:00:00Z)",
        r.err().lines().findFirst().orElse(""));
  }

  @Test
  void aTimeInTheFutureIsRefused() {
    String future =
        Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    CliRun r = CliRun.of("rewind", "--to", future);
    assertEquals(2, r.code());
    assertEquals(
        "Invalid --to: '" + future + "' is in the future", r.err().lines().findFirst().orElse(""));
  }

  @Test
  void theTimeIsRequired() {
    CliRun r = CliRun.of("rewind");
    assertEquals(2, r.code());
    assertEquals("Missing required option: '--to=INSTANT'", r.err().lines().findFirst().orElse(""));
  }
}
