package io.webtraffic.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stack in a background JVM that outlives the command that started it. The child is this JVM
 * again (same java binary, JVM flags and class path) with another main class and arguments, so it
 * works the same from the launcher script, an IDE or a test runner.
 */
public final class StackLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(StackLauncher.class);
  private static final int LOG_TAIL_LINES = 30;
  private static final long POLL_MILLIS = 200;

  private StackLauncher() {}

  /**
   * Starts the child and waits until it has written the pid and env files of {@code files}.
   *
   * @throws StackLaunchException if the child exits first or is not ready within {@code timeout}
   */
  public static StackEndpoints launch(
      StackFiles files, String mainClass, List<String> args, Duration timeout) {
    Process child = spawn(files, mainClass, args);
    LOG.debug("Started background stack process {}", child.pid());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        Optional<StackEndpoints> endpoints = files.runningEndpoints();
        if (endpoints.isPresent()) {
          return endpoints.get();
        }
        if (!child.isAlive()) {
          throw new StackLaunchException(
              String.format(
                  "Cannot start the stack: its process exited with code %d (see %s)",
                  child.exitValue(), files.logFile()),
              files.logTail(LOG_TAIL_LINES));
        }
        if (System.nanoTime() - deadline >= 0) {
          child.descendants().forEach(ProcessHandle::destroy);
          child.destroy();
          throw new StackLaunchException(
              String.format(
                  "Cannot start the stack: not ready after %d s (see %s)",
                  timeout.toSeconds(), files.logFile()),
              files.logTail(LOG_TAIL_LINES));
        }
        // Returns at once if the child dies; otherwise this is the polling interval for the files.
        child.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the stack to start", e);
    }
  }

  private static Process spawn(StackFiles files, String mainClass, List<String> args) {
    List<String> command = command(mainClass, args);
    try {
      Files.createDirectories(files.dir());
      return new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(files.logFile().toFile())
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start the stack process " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  /** The command line of the child JVM. */
  static List<String> command(String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    // A new session: the stack must not receive the terminal's hangup or Ctrl-C meant for the
    // caller.
    setsid()
        .ifPresent(
            setsid -> {
              command.add(setsid);
              command.add("--wait");
            });
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (isInheritable(arg)) {
        command.add(arg);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * A debugger agent would clash on its port; every other flag (the --add-opens above all) is kept.
   */
  private static boolean isInheritable(String jvmArg) {
    return !jvmArg.startsWith("-agentlib:jdwp") && !jvmArg.startsWith("-Xrunjdwp");
  }

  private static Optional<String> setsid() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "setsid");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }
}
