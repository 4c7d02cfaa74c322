package io.webtraffic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Misuse and bad settings end with exit code 2 and one line naming the setting, before any work.
 */
class PipelineCliTest {
  record Result(int code, String err) {}

  static Result run(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = PipelineCli.execute(args);
      return new Result(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void aBadTriggerStopsTheJobBeforeItStarts() {
    Result r = run("run", "--trigger", "10 parsecs");
    assertEquals(2, r.code());
    assertEquals(
        "Invalid configuration: Invalid pipeline.trigger: '10 parsecs' (allowed: availableNow, or a"
            + " processing-time interval such as '500 ms', '5 seconds', '1 minute'; set with"
            + " --trigger, PIPELINE_TRIGGER or trigger in the config file)",
        r.err().strip());
  }

  @Test
  void anUnknownCatalogTypeNamesTheAllowedOnes() {
    Result r = run("run", "--set", "iceberg.catalog-type=glue");
    assertEquals(2, r.code());
    assertEquals(
        "Invalid configuration: Invalid pipeline.iceberg.catalog-type: 'glue' (allowed: hadoop,"
            + " jdbc, rest)",
        r.err().strip());
  }

  @Test
  void reconcileRefusesAnHourThatIsNotAnInstantAndNeedsOneOfItsOptions() {
    Result bad = run("reconcile", "--hour", "yesterday");
    assertEquals(2, bad.code());
    assertTrue(
        bad.err()
            .startsWith(
                "Invalid --hour: 'yesterday' (an ISO-8601 instant such as 2026-03-01T09:00:00Z)"),
        bad.err());
    assertEquals(2, run("reconcile").code());
    assertEquals(
        2, run("reconcile", "--hour", "2026-03-01T09:00:00Z", "--from", "x", "--to", "y").code());
  }

  @Test
  void aMissingConfigFileIsNamed() {
    Result r = run("sql", "--config", "no/such.conf", "SELECT 1");
    assertEquals(2, r.code());
    assertEquals(
        "Invalid configuration: Cannot read config file no/such.conf: no such file",
        r.err().strip());
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    Result r = run("run", "--trigerr", "5 seconds");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("Unknown options: '--trigerr', '5 seconds'"), r.err());
  }
}
