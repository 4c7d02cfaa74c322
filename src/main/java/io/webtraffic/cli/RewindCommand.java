package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.ops.RewindPlan;
import io.webtraffic.source.KafkaAdmin;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The supported way to replay from a point in time: prepares a new checkpoint at the configured
 * location that starts at the given instant, and moves an existing one aside (with {@code --force};
 * without it, prints what it would do and changes nothing). The job is then restarted as usual.
 */
@Command(
    name = "rewind",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
    header = "Prepare a new checkpoint that starts at a point in time; stop the job first.",
    description =
        "An existing checkpoint is moved aside (renamed, never deleted) only with --force;"
            + " without it this prints the plan and changes nothing. Then restart the job as"
            + " usual: a checkpoint prepared by rewind starts at the rewind time. Records"
            + " processed before are processed again: see the warning and the README.")
public final class RewindCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConfigOptions options;
  @Mixin CheckpointOption checkpoint;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "INSTANT",
      description = "ISO-8601 instant, e.g. 2026-11-20T09:00:00Z.")
  String to;

  @Option(names = "--force", description = "Move an existing checkpoint aside.")
  boolean force;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    Instant at = instant(now);
    PipelineConfig config = options.load(checkpoint.flags());
    RewindPlan plan;
    try (KafkaAdmin kafka = KafkaAdmin.connect(config.kafka())) {
      plan = RewindPlan.of(config, at, now, kafka);
    }
    spec.commandLine().getOut().print(plan.describe());
    if (plan.replacesCheckpoint() && !force) {
      throw new IllegalStateException(
          "Cannot rewind: checkpoint "
              + config.checkpointLocation()
              + " exists; nothing was changed. Stop the job, then re-run with --force to move it"
              + " aside to "
              + plan.moveTo());
    }
    plan.execute(now);
    spec.commandLine()
        .getOut()
        .printf(
            "%n%sPrepared a new checkpoint at %s that starts at %s.%n"
                + "Next: restart the job as before, e.g.%n  %s%n",
            plan.replacesCheckpoint() ? "Moved the old checkpoint to " + plan.moveTo() + ". " : "",
            config.checkpointLocation(),
            at,
            runCommand());
    return 0;
  }

  private Instant instant(Instant now) {
    Instant at;
    try {
      at = Instant.parse(to);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Invalid --to: '" + to + "' (an ISO-8601 instant such as 2026-11-20T09:00:00Z)");
    }
    if (at.isAfter(now)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Invalid --to: '" + to + "' is in the future");
    }
    return at;
  }

  /** The run command with the same configuration options this command was given. */
  private String runCommand() {
    List<String> args = new ArrayList<>(List.of("scripts/pipeline", "run"));
    if (options.file != null) {
      args.add("--config " + quote(options.file.toString()));
    }
    if (checkpoint.checkpoint != null) {
      args.add("--checkpoint " + quote(checkpoint.checkpoint));
    }
    options.settings.forEach((k, v) -> args.add("--set " + quote(k + "=" + v)));
    return String.join(" ", args);
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
