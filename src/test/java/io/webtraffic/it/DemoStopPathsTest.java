package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.webtraffic.local.Await;
import io.webtraffic.local.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way {@code scripts/demo} ends, run as a user runs it: the script in a session of its own,
 * Ctrl-C and SIGTERM sent to its whole process group as a terminal sends them, its stack on free
 * ports in a folder of its own. Each path must end every process the demo started (generator, job,
 * Kafka, PostgreSQL and its stack server) and free every port, and say so in one last line.
 */
class DemoStopPathsTest {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Duration STARTUP = Duration.ofMinutes(4);
  private static final Duration END = Duration.ofMinutes(4);

  @TempDir Path home;

  @Test
  void aBadDurationIsRefusedBeforeAnythingStarts() throws Exception {
    try (Demo demo = Demo.start(home, "--duration", "1min")) {
      assertEquals(2, demo.awaitExit(Duration.ofSeconds(30)));
      assertEquals(
          List.of(
              "scripts/demo: invalid --duration '1min': a whole number of seconds, minutes or"
                  + " hours, such as 90, 90s, 5m or 1h (see scripts/demo --help)"),
          demo.lines());
      assertFalse(Files.exists(home.resolve(".stack")), "nothing was started");
    }
  }

  @Test
  void aPartThatFailsStopsWhatStartedWithOneLine() throws Exception {
    ServerSocket taken = new ServerSocket();
    taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    int port = taken.getLocalPort();
    try (Demo demo = Demo.start(home, port, FreePorts.pick())) {
      try (taken) {
        assertEquals(1, demo.awaitExit(END), demo.output());
      }
      assertTrue(
          demo.output().contains("port " + port + " on 127.0.0.1 is already in use"),
          demo.output());
      assertEquals(
          "Demo failed: the stack start failed (see the lines above); everything it started is"
              + " stopped.",
          demo.lastLine());
      demo.assertNothingLeft(false);
    }
  }

  @Test
  void theDurationEndsItInOrderWithOneSummary() throws Exception {
    try (Demo demo = Demo.start(home, "--duration", "20s")) {
      assertEquals(0, demo.awaitExit(STARTUP.plus(END)), demo.output());
      String out = demo.output();
      assertTrue(
          out.contains(
              "20s reached: stopping the generator, then the job once it has read what was sent."),
          out);
      assertTrue(out.contains("Waiting for the job to read the rest and close what the watermark"));
      assertTrue(
          out.contains(
              "Waiting for the job to finish its current micro-batch (it stops at the first pause"
                  + " between batches)..."),
          out);
      assertOneSummary(demo);
      assertEquals("Demo finished: every process it started is stopped.", demo.lastLine());
      demo.assertNothingLeft(true);
    }
  }

  @Test
  void oneCtrlCStopsAfterTheBatchWithOneSummary() throws Exception {
    try (Demo demo = Demo.start(home)) {
      // a batch with records (batch 0 of a new checkpoint is empty and runs before the generator)
      demo.awaitOutput(Pattern.compile(" batches: batch [1-9][0-9]*: read [1-9]"), STARTUP);
      demo.signal("INT");
      assertEquals(0, demo.awaitExit(END), demo.output());
      assertTrue(
          demo.output()
              .contains(
                  "Stop requested: stopping the generator, then the job after its current"
                      + " micro-batch (Ctrl-C again to stop at once)."),
          demo.output());
      assertOneSummary(demo);
      assertEquals("Demo finished: every process it started is stopped.", demo.lastLine());
      demo.assertNothingLeft(true);
    }
  }

  @Test
  void twoCtrlCStopEverythingAtOnceWithoutSummary() throws Exception {
    try (Demo demo = Demo.start(home)) {
      demo.awaitOutput("Generator (pid ", STARTUP);
      demo.signal("INT");
      demo.awaitOutput("Stop requested: stopping the generator", END);
      demo.signal("INT");
      assertEquals(130, demo.awaitExit(END), demo.output());
      assertTrue(demo.output().contains("Stopping at once: ending every part without waiting"));
      assertFalse(demo.output().contains("What the generator sent:"), demo.output());
      assertEquals(
          "Demo stopped at once: every part it started is stopped; no summary.", demo.lastLine());
      demo.assertNothingLeft(true);
    }
  }

  @Test
  void sigtermWhileTheJobStartsStopsItCleanly() throws Exception {
    try (Demo demo = Demo.start(home)) {
      demo.awaitOutput("Starting job 'webtraffic'", STARTUP);
      demo.signal("TERM");
      // exit 0: the job stopped itself (not 143), the demo stopped the rest
      assertEquals(0, demo.awaitExit(END), demo.output());
      assertTrue(
          demo.output()
              .contains("Stop requested while the job is starting: stopping it (Ctrl-C again"),
          demo.output());
      assertEquals(
          "Demo stopped while the job was starting; nothing was generated.", demo.lastLine());
      assertFalse(demo.output().contains("Exception"), demo.output());
      demo.assertNothingLeft(true);
    }
  }

  private static void assertOneSummary(Demo demo) {
    String out = demo.output();
    assertEquals(1, count(out, "What the generator sent:"), out);
    assertEquals(1, count(out, "Job 'webtraffic' stopped"), out);
    assertEquals(1, count(out, "Query what it wrote"), out);
    assertTrue(
        Pattern.compile("(?m)^Accounting over [1-9][0-9]* batches: read [1-9]").matcher(out).find(),
        out);
    // no stack trace after "Job stopped" (the stop thread used to race the stopped SparkContext)
    assertFalse(out.contains("Exception"), out);
    assertFalse(out.contains("\tat "), out);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  /** scripts/demo in a session of its own, on its own ports and folder, output to a file. */
  static final class Demo implements AutoCloseable {
    private static final Pattern UI_PORT = Pattern.compile("Spark UI http://[^:]+:(\\d+)");

    private final Process process;
    private final Path home;
    private final Path out;
    private final int kafkaPort;
    private final int postgresPort;

    private Demo(Process process, Path home, Path out, int kafkaPort, int postgresPort) {
      this.process = process;
      this.home = home;
      this.out = out;
      this.kafkaPort = kafkaPort;
      this.postgresPort = postgresPort;
    }

    static Demo start(Path home, String... args) throws IOException {
      return start(home, FreePorts.pick(), FreePorts.pick(), args);
    }

    static Demo start(Path home, int kafkaPort, int postgresPort, String... args)
        throws IOException {
      assumeTrue(
          Files.isExecutable(Path.of("/usr/bin/setsid"))
              || Files.isExecutable(Path.of("/bin/setsid")),
          "setsid (util-linux) runs the demo in a process group of its own");
      List<String> command = new ArrayList<>(List.of("setsid", "scripts/demo"));
      command.addAll(List.of(args));
      command.addAll(
          List.of(
              "--kafka-port",
              String.valueOf(kafkaPort),
              "--postgres-port",
              String.valueOf(postgresPort)));
      Path out = home.resolve("demo.out");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(PROJECT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().put("PIPELINE_HOME", home.toString());
      builder.environment().put("PIPELINE_CLASSPATH", System.getProperty("java.class.path"));
      builder.environment().put("PIPELINE_JAVA_OPTS", "-Xmx1g");
      return new Demo(builder.start(), home, out, kafkaPort, postgresPort);
    }

    /** As a terminal sends it: to every process of the demo's group. */
    void signal(String name) throws Exception {
      Process kill = new ProcessBuilder("kill", "-" + name, "--", "-" + process.pid()).start();
      assertEquals(0, kill.waitFor(), "kill -" + name);
    }

    void awaitOutput(Pattern pattern, Duration timeout) throws Exception {
      Await.until(
          () -> {
            boolean found = pattern.matcher(output()).find();
            if (!found && !process.isAlive()) {
              throw new AssertionError("The demo ended before /" + pattern + "/:\n" + output());
            }
            return found;
          },
          timeout,
          "/" + pattern + "/ from the demo");
    }

    void awaitOutput(String text, Duration timeout) throws Exception {
      Await.until(
          () -> {
            if (!process.isAlive() && !output().contains(text)) {
              throw new AssertionError("The demo ended before '" + text + "':\n" + output());
            }
            return output().contains(text);
          },
          timeout,
          "'" + text + "' from the demo");
    }

    int awaitExit(Duration timeout) throws Exception {
      assertTrue(
          process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
          "the demo still runs after " + timeout + ":\n" + output());
      return process.exitValue();
    }

    String output() {
      try {
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    List<String> lines() {
      return output().lines().toList();
    }

    String lastLine() {
      List<String> lines = lines();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /**
     * No process that belongs to this demo (its folder in the command line or PIPELINE_HOME in the
     * environment: generator, job, report, stack server, postgres) and none of its ports listening.
     */
    void assertNothingLeft(boolean stackWasUp) throws Exception {
      String marker = home.toString();
      Await.until(
          () -> ProcessHandle.allProcesses().noneMatch(p -> belongs(p, marker)),
          Duration.ofSeconds(30),
          "every process of the demo to end: " + leftovers(marker));
      FreePorts.requireFree(kafkaPort, "Kafka");
      FreePorts.requireFree(postgresPort, "PostgreSQL");
      Matcher ui = UI_PORT.matcher(output());
      if (ui.find()) {
        FreePorts.requireFree(Integer.parseInt(ui.group(1)), "the Spark UI");
      }
      assertEquals(stackWasUp, output().contains("Stack started (pid "), output());
    }

    private static List<String> leftovers(String marker) {
      return ProcessHandle.allProcesses()
          .filter(p -> belongs(p, marker))
          .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
          .toList();
    }

    private static boolean belongs(ProcessHandle p, String marker) {
      if (p.pid() == ProcessHandle.current().pid()) {
        return false;
      }
      if (p.info().commandLine().map(c -> c.contains(marker)).orElse(false)) {
        return true;
      }
      try {
        byte[] env = Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "environ"));
        return new String(env, StandardCharsets.UTF_8).contains("PIPELINE_HOME=" + marker + "\0");
      } catch (IOException | SecurityException e) {
        return false; // gone, or not ours to read
      }
    }

    /** After a failed assertion too: nothing of this demo outlives the test. */
    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        signal("KILL");
      }
      process.waitFor(30, TimeUnit.SECONDS);
      String marker = home.toString();
      ProcessHandle.allProcesses().filter(p -> belongs(p, marker)).forEach(ProcessHandle::destroy);
      try {
        Await.until(
            () -> ProcessHandle.allProcesses().noneMatch(p -> belongs(p, marker)),
            Duration.ofSeconds(20),
            "the demo's processes to end");
      } catch (java.util.concurrent.TimeoutException e) {
        ProcessHandle.allProcesses()
            .filter(p -> belongs(p, marker))
            .forEach(ProcessHandle::destroyForcibly);
      }
    }
  }
}
