package io.webtraffic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.testing.CliRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help: a complete one-line summary in the command list, only the options the
 * command uses, and its exit codes.
 */
class CommandHelpTest {
  static final List<String> JOB_ONLY =
      List.of("--trigger", "--starting-position", "--max-offsets-per-trigger");

  static String help(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.add("--help");
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return r.out();
  }

  @Test
  void commandsThatDoNotRunTheJobListNoJobOnlyOption() {
    for (String command : List.of("sql", "report", "status", "migrate", "rewind", "generate")) {
      String help = help(command);
      for (String option : JOB_ONLY) {
        assertFalse(help.contains(option), command + " lists " + option + ":\n" + help);
      }
      assertTrue(help.contains("--config"), command + ":\n" + help);
    }
    for (String command : List.of("sql", "report", "migrate", "generate")) {
      assertFalse(help(command).contains("--checkpoint"), command);
    }
    assertTrue(help("status").contains("--checkpoint"));
    String run = help("run");
    for (String option : JOB_ONLY) {
      assertTrue(run.contains(option), option + " missing from run:\n" + run);
    }
  }

  @Test
  void statusListsItsExitCodes() {
    String help = help("status");

    assertTrue(
        help.endsWith(
            String.join(
                System.lineSeparator(),
                "Exit codes:",
                "  0   done",
                "  1   failed (one line on stderr says why; details at DEBUG in the log)",
                "  2   invalid option, argument or configuration",
                "  3   no checkpoint, or no committed batch yet",
                "")),
        help);
  }

  @Test
  void everyCommandDocumentsItsExitCodes() {
    List<String> missing = new ArrayList<>();
    walk(new CommandLine(new PipelineCli()), missing);

    assertEquals(List.of(), missing);
  }

  private static void walk(CommandLine command, List<String> missing) {
    String name = command.getCommandSpec().qualifiedName();
    if (!name.endsWith(" help")
        && command.getCommandSpec().usageMessage().exitCodeList().isEmpty()) {
      missing.add(name);
    }
    command.getSubcommands().values().forEach(sub -> walk(sub, missing));
  }

  @Test
  void theCommandListGivesEachCommandAWholeSentence() {
    List<String> summaries = new ArrayList<>();
    String help = help();
    boolean inList = false;
    for (String line : help.lines().toList()) {
      if (line.equals("Commands:")) {
        inList = true;
      } else if (inList && line.isEmpty()) {
        break;
      } else if (inList && line.startsWith("  ") && !line.startsWith("   ")) {
        summaries.add(line.strip());
      } else if (inList) {
        summaries.set(
            summaries.size() - 1, summaries.get(summaries.size() - 1) + " " + line.strip());
      }
    }

    assertEquals(12, summaries.size(), help);
    for (String summary : summaries) {
      assertTrue(summary.endsWith("."), "cut short: " + summary);
    }
    assertTrue(
        summaries.contains(
            "status      Show where the job is: committed offsets, Kafka end offsets and lag,"
                + " watermark."),
        summaries.toString());
    assertTrue(
        summaries.contains(
            "rewind      Prepare a new checkpoint that starts at a point in time; stop the job"
                + " first."),
        summaries.toString());
    assertTrue(
        summaries.contains(
            "migrate     Create the job's PostgreSQL schema and tables and grant the job's role"
                + " its rights."),
        summaries.toString());
  }
}
