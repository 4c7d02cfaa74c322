package io.webtraffic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
    ProcessBuilder builder =
        new ProcessBuilder("scripts/pipeline", command).redirectErrorStream(true);
    builder.environment().put("PIPELINE_CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put("PIPELINE_MAIN_CLASS", PrintJvmArguments.class.getName());
    builder.environment().remove("PIPELINE_JAVA_OPTS");
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
}
