package io.webtraffic.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.cli.PipelineCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code generate} command's misuse and failure paths, in-process; writing to a real broker is
 * an IT's job.
 */
class GenerateCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @BeforeEach
  void captureOutput() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreOutput() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  @Test
  void helpListsTheOptions() {
    assertEquals(0, PipelineCli.execute("generate", "--help"));

    String help = out.toString(StandardCharsets.UTF_8);
    for (String option :
        new String[] {"--bootstrap-servers", "--count", "--duration", "--no-pacing", "--late-by"}) {
      assertTrue(help.contains(option), help);
    }
  }

  @Test
  void countAndDurationExcludeEachOther() {
    assertEquals(2, PipelineCli.execute("generate", "--count", "5", "--duration", "5s"));

    assertTrue(err().contains("mutually exclusive"), err());
  }

  @Test
  void anInvalidFractionIsMisuseNamingTheOption() {
    assertEquals(2, PipelineCli.execute("generate", "--count", "5", "--duplicate-fraction", "1.5"));

    assertTrue(err().contains("Invalid duplicate-fraction: 1.5 (must be between 0 and 1)"), err());
  }

  @Test
  void anInvalidDurationIsMisuse() {
    assertEquals(2, PipelineCli.execute("generate", "--max-jitter", "30"));

    assertTrue(err().contains("Invalid duration: '30'"), err());
  }

  @Test
  void anUnreachableBrokerFailsWithAClearMessage() {
    int exitCode =
        PipelineCli.execute(
            "generate",
            "--bootstrap-servers",
            "no-such-host.invalid:9092",
            "--count",
            "3",
            "--no-pacing");

    assertEquals(1, exitCode);
    assertTrue(
        err().contains("Failed: Cannot write to Kafka at no-such-host.invalid:9092: "), err());
  }

  @Test
  void hostsReplaceTheDefaults() {
    // an unresolvable broker ends the run right after the settings are built and printed
    PipelineCli.execute(
        "generate",
        "--bootstrap-servers",
        "no-such-host.invalid:9092",
        "--count",
        "1",
        "--hosts",
        "a.example,b.example");

    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("--hosts a.example,b.example"),
        out.toString());
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
