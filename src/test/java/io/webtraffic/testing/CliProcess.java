package io.webtraffic.testing;

import io.webtraffic.cli.PipelineCli;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command line run as its own process, as {@code scripts/pipeline} runs it (same classpath and
 * JVM flags as the tests), with its standard input from a file and its output in two files: for
 * commands that read stdin or own a Spark session the test JVM must keep.
 */
public record CliProcess(int code, String out, String err, Path outFile, Path errFile) {

  public static CliProcess run(Path dir, String input, Duration timeout, String... args)
      throws IOException, InterruptedException {
    return run(dir, List.of(), input, timeout, args);
  }

  /** With JVM options of its own, after the test JVM's. */
  public static CliProcess run(
      Path dir, List<String> jvm, String input, Duration timeout, String... args)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path in = dir.resolve("stdin.txt");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Files.writeString(in, input, StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
            .toList());
    command.addAll(jvm);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PipelineCli.class.getName());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          "pipeline " + args[0] + " did not exit within " + timeout + "; output in " + dir);
    }
    return new CliProcess(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8),
        out,
        err);
  }

  /** Where to look when an assertion on this run fails. */
  public String where() {
    return "exit " + code + "; stdout " + outFile + ", stderr " + errFile;
  }
}
