package io.webtraffic.testing;

import io.webtraffic.cli.PipelineCli;
import io.webtraffic.local.Await;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The job as its own process, launched like {@code scripts/pipeline run} with every setting as a
 * {@code --set} flag, so a test can kill it for real (SIGKILL or SIGTERM) or let it halt itself. It
 * runs on the test JVM's classpath and JVM flags; its output goes to a log file.
 */
public final class JobProcess implements AutoCloseable {
  private static final int TAIL_LINES = 20;

  private final Process process;
  private final Path log;

  private JobProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static JobProcess start(Map<String, String> settings, Path log) throws IOException {
    return start(settings, Map.of(), log);
  }

  /** With extra environment variables: the only way secrets reach the job. */
  public static JobProcess start(Map<String, String> settings, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
            .toList());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PipelineCli.class.getName());
    command.add("run");
    settings.forEach(
        (k, v) -> {
          command.add("--set");
          command.add(k + "=" + v);
        });
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    return new JobProcess(p, log);
  }

  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where the job's output is, and its last lines: enough to see why without the whole log. */
  public String tail() {
    List<String> lines = output().lines().toList();
    return "its output is in "
        + log.toAbsolutePath()
        + ", last lines:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
  }

  /** Waits until the job's output contains {@code text}; fails if the job exits first. */
  public void awaitOutput(String text, Duration timeout) throws TimeoutException {
    Await.until(
        () -> {
          if (output().contains(text)) {
            return true;
          }
          if (!process.isAlive()) {
            throw new AssertionError(
                "The job exited ("
                    + process.exitValue()
                    + ") before printing '"
                    + text
                    + "'; "
                    + tail());
          }
          return false;
        },
        timeout,
        "the job to print '" + text + "'");
  }

  /** Waits for the job to exit and returns its exit status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("The job did not exit within " + timeout + "; " + tail());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no last words. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: the signal a service manager sends to stop the job. */
  public void terminate() {
    process.destroy();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
