package io.webtraffic.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackFilesTest {
  @TempDir Path dir;

  @Test
  void noPidFileMeansNotRunning() {
    StackFiles files = new StackFiles(dir);

    assertEquals(Optional.empty(), files.readPid());
    assertTrue(files.server().isEmpty());
    assertTrue(files.runningEndpoints().isEmpty());
  }

  @Test
  void aPidThatIsNotAStackServerMeansNotRunning() {
    StackFiles files = new StackFiles(dir);
    // This test JVM is alive but was not started with "serve": a reused pid must not look like a
    // stack.
    files.writePid(ProcessHandle.current().pid());

    assertEquals(Optional.of(ProcessHandle.current().pid()), files.readPid());
    assertTrue(files.server().isEmpty());
  }

  @Test
  void aTornPidFileMeansNotRunning() throws Exception {
    StackFiles files = new StackFiles(dir);
    Files.writeString(files.pidFile(), "12ab");

    assertEquals(Optional.empty(), files.readPid());
  }

  @Test
  void deletesItsRuntimeFiles() {
    StackFiles files = new StackFiles(dir);
    files.writePid(1);
    new StackEndpoints("h:1", "jdbc:postgresql://h:2/postgres", "postgres", dir)
        .writeEnvFile(files.envFile());

    files.deleteRuntimeFiles();

    assertFalse(Files.exists(files.pidFile()));
    assertFalse(Files.exists(files.envFile()));
  }
}
