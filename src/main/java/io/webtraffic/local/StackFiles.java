package io.webtraffic.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The layout of a stack's data directory, and the files through which a background stack tells
 * other processes that it runs: {@code stack.pid} (written first) and {@code stack.env} (written
 * once both servers accept connections).
 */
public record StackFiles(Path dir) {
  /**
   * The argument that marks the serving JVM, to tell it from an unrelated process that reused its
   * pid.
   */
  public static final String SERVE_MARKER = "serve";

  public StackFiles {
    dir = dir.toAbsolutePath().normalize();
  }

  public Path kafkaDir() {
    return dir.resolve("kafka");
  }

  public Path postgresDir() {
    return dir.resolve("postgres");
  }

  public Path warehouseDir() {
    return dir.resolve("warehouse");
  }

  public Path envFile() {
    return dir.resolve("stack.env");
  }

  public Path pidFile() {
    return dir.resolve("stack.pid");
  }

  public Path logFile() {
    return dir.resolve("stack.log");
  }

  /** The serving process named in the pid file, if it is still alive. */
  public Optional<ProcessHandle> server() {
    return readPid()
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(StackFiles::isServer);
  }

  /** The endpoints of a stack that runs and is ready. */
  public Optional<StackEndpoints> runningEndpoints() {
    if (server().isEmpty() || !Files.isRegularFile(envFile())) {
      return Optional.empty();
    }
    return Optional.of(StackEndpoints.readEnvFile(envFile()));
  }

  public void writePid(long pid) {
    AtomicFiles.write(pidFile(), pid + "\n");
  }

  public Optional<Long> readPid() {
    try {
      String content = Files.readString(pidFile(), StandardCharsets.UTF_8).strip();
      return Optional.of(Long.parseLong(content));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty(); // a torn or foreign file: treated as "not running"
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + pidFile() + ": " + e.getMessage(), e);
    }
  }

  /** Removes the pid and env files, so nobody mistakes a stopped stack for a running one. */
  public void deleteRuntimeFiles() {
    try {
      Files.deleteIfExists(envFile());
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot delete the runtime files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The last lines of the stack's log, for error messages. */
  public List<String> logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(no log at " + logFile() + ")");
    }
  }

  /**
   * Whether the process was started with the serve marker. A process killed a moment ago is still
   * "alive" as a zombie until reaped, but shows no arguments any more, so it does not count.
   */
  private static boolean isServer(ProcessHandle process) {
    return arguments(process).contains(SERVE_MARKER);
  }

  private static List<String> arguments(ProcessHandle process) {
    // The JDK gives no arguments (and a command line cut at 4 KB) for long Linux command lines such
    // as a JVM's
    // with its class path, so read them from /proc where it exists.
    Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    if (Files.isReadable(cmdline)) {
      try {
        return Arrays.asList(
            new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
      } catch (IOException e) {
        return List.of(); // gone meanwhile
      }
    }
    return process.info().arguments().map(Arrays::asList).orElse(List.of());
  }
}
