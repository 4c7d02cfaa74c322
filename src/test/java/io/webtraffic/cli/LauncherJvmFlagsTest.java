package io.webtraffic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JIT flags {@code scripts/pipeline} gives each command's JVM: the job and the commands that
 * run Spark get the job's inlining budget; the operator commands get the quick compiler only.
 */
class LauncherJvmFlagsTest {
  static final List<String> INLINING_BUDGET =
      List.of("-XX:FreqInlineSize=100", "-XX:InlineSmallCode=1000");

  static final String QUICK_COMPILER = "-XX:TieredStopAtLevel=1";

  /** Prints its JVM's arguments, one per line: the launcher starts it in place of the CLI. */
  public static final class PrintJvmArguments {
    public static void main(String[] args) {
      ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(System.out::println);
    }
  }

  static List<String> jvmArguments(String command) throws IOException, InterruptedException {
    return jvmArguments(command, Map.of());
  }

  static List<String> jvmArguments(String command, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("scripts/pipeline", command).redirectErrorStream(true);
    builder.environment().put("PIPELINE_CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put("PIPELINE_MAIN_CLASS", PrintJvmArguments.class.getName());
    builder.environment().remove("PIPELINE_JAVA_OPTS");
    builder.environment().remove("PIPELINE_CDS_DIR");
    builder.environment().putAll(environment);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "scripts/pipeline " + command);
    assertEquals(0, process.exitValue(), out);
    return out.lines().toList();
  }

  @Test
  void theJobRunsWithTheInliningBudget() throws Exception {
    for (String command : List.of("run", "sql", "generate")) {
      List<String> flags = jvmArguments(command);
      assertTrue(flags.containsAll(INLINING_BUDGET), command + ": " + flags);
      assertFalse(flags.contains(QUICK_COMPILER), command + ": " + flags);
    }
  }

  @Test
  void operatorCommandsRunWithTheQuickCompilerOnly() throws Exception {
    for (String command : List.of("status", "migrate")) {
      List<String> flags = jvmArguments(command);
      assertTrue(flags.contains(QUICK_COMPILER), command + ": " + flags);
      assertTrue(flags.stream().noneMatch(INLINING_BUDGET::contains), command + ": " + flags);
    }
  }

  /**
   * The first run writes the list of classes it loads; the next command dumps the archive from it
   * in the background; the commands after that map it. The last ones run with {@code -Xshare:on},
   * which refuses to start a JVM that cannot map its archive. (The JVM archives classes from jars
   * only, as the launcher's own classpath is: the printer runs from a jar of its own here.)
   */
  @Test
  void laterCommandsMapTheClassesTheFirstRunLoaded(@TempDir Path cds, @TempDir Path lib)
      throws Exception {
    Map<String, String> env =
        Map.of("PIPELINE_CDS_DIR", cds.toString(), "PIPELINE_CLASSPATH", printerJar(lib));
    assertTrue(jvmArguments("status", env).stream().noneMatch(f -> f.contains("Shared")));

    String listFlag = "-XX:DumpLoadedClassList=";
    String list = only(jvmArguments("run", env), listFlag).substring(listFlag.length());
    String printer = PrintJvmArguments.class.getName().replace('.', '/');
    assertTrue(Files.readString(Path.of(list)).contains(printer), list);

    String key = cds.relativize(Path.of(list)).toString().split("\\.")[0];
    Path archive = cds.resolve(key + ".jsa");
    Path dumping = cds.resolve(key + ".dumping");
    try (WatchService watcher = cds.getFileSystem().newWatchService()) {
      cds.register(watcher, StandardWatchEventKinds.ENTRY_DELETE);
      List<String> second = jvmArguments("status", env);
      assertTrue(second.stream().noneMatch(f -> f.contains("Shared")), second.toString());
      // The launcher takes the lock before it starts the dump, which drops it when done.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (Files.exists(dumping) && System.nanoTime() < deadline) {
        WatchKey events = watcher.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (events != null) {
          events.pollEvents();
          events.reset();
        }
      }
    }
    assertTrue(
        Files.exists(archive), () -> "no archive: " + dumpLog(cds.resolve(key + ".dump.log")));

    Map<String, String> mapped = new HashMap<>(env);
    mapped.put("PIPELINE_JAVA_OPTS", "-Xshare:on");
    for (String command : List.of("run", "status")) {
      List<String> later = jvmArguments(command, mapped);
      assertEquals("-XX:SharedArchiveFile=" + archive, only(later, "-XX:SharedArchiveFile="));
      assertTrue(later.stream().noneMatch(f -> f.startsWith(listFlag)), later.toString());
    }
  }

  /** A jar holding only the printer, which needs nothing but the JDK. */
  private static String printerJar(Path dir) throws IOException {
    Path jar = dir.resolve("printer.jar");
    String entry = PrintJvmArguments.class.getName().replace('.', '/') + ".class";
    try (InputStream in = PrintJvmArguments.class.getClassLoader().getResourceAsStream(entry);
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar.toString();
  }

  private static String dumpLog(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "no dump log " + log;
    }
  }

  private static String only(List<String> flags, String prefix) {
    List<String> matching = flags.stream().filter(f -> f.startsWith(prefix)).toList();
    assertEquals(1, matching.size(), prefix + " in " + flags);
    return matching.get(0);
  }
}
