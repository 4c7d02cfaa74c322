package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.SparkSessions;
import io.webtraffic.maintain.Reconcile;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Removes duplicates further apart than the watermark from closed hours of the events table. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
    description =
        "Remove duplicates (same dedup key) that arrived further apart than the watermark from"
            + " closed hours of the events table; running it again changes nothing.")
public final class ReconcileCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Spec CommandLine.Model.CommandSpec spec;

  @ArgGroup(multiplicity = "1")
  Hours hours;

  static final class Hours {
    @Option(
        names = "--hour",
        paramLabel = "INSTANT",
        description = "One hour, e.g. 2026-03-01T09:00:00Z.",
        required = true)
    String hour;

    @ArgGroup(exclusive = false)
    Range range;
  }

  static final class Range {
    @Option(names = "--from", paramLabel = "INSTANT", required = true, description = "First hour.")
    String from;

    @Option(
        names = "--to",
        paramLabel = "INSTANT",
        required = true,
        description = "End of the range (exclusive).")
    String to;
  }

  @Override
  public Integer call() {
    Instant from;
    Instant to;
    if (hours.hour != null) {
      from = instant("--hour", hours.hour);
      to = from.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    } else {
      from = instant("--from", hours.range.from);
      to = instant("--to", hours.range.to);
    }
    PipelineConfig config = options.load();
    SparkSession spark = SparkSessions.create(config);
    try {
      List<Reconcile.HourReport> reports = new Reconcile(config).run(spark, from, to);
      reports.forEach(spec.commandLine().getOut()::println);
      spec.commandLine()
          .getOut()
          .println(
              "Duplicates removed: "
                  + reports.stream().mapToLong(Reconcile.HourReport::duplicatesRemoved).sum());
      return 0;
    } finally {
      spark.stop();
    }
  }

  private Instant instant(String option, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Invalid "
              + option
              + ": '"
              + value
              + "' (an ISO-8601 instant such as 2026-03-01T09:00:00Z)");
    }
  }
}
