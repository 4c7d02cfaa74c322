package io.webtraffic.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: {@code scripts/pipeline <subcommand>}. Only {@link #main} exits the JVM, so
 * tests run commands in-process through {@link #execute}.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
    version = "webtraffic-pipeline 0.1.0",
    description =
        "Web-traffic events from Kafka into Iceberg and PostgreSQL, every trigger interval.",
    subcommands = {
      StackCommand.class,
      GenerateCommand.class,
      RunCommand.class,
      MigrateCommand.class,
      SqlCommand.class,
      ReportCommand.class,
      StatusCommand.class,
      RewindCommand.class,
      MaintainCommand.class,
      ReconcileCommand.class,
      DimensionsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class PipelineCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  /**
   * Runs a command line and returns its exit code: 0 ok, 1 failed, 2 misuse (bad flag or config).
   */
  public static int execute(String... args) {
    // One pair of writers for every subcommand (setOut and setErr pass them down), flushed below.
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, UTF_8), true);
    CommandLine cli =
        new CommandLine(new PipelineCli())
            .setOut(out)
            .setErr(err)
            .setExecutionExceptionHandler(new CliErrors());
    try {
      return cli.execute(args);
    } finally {
      // Commands print through these writers; print() without a newline is not flushed by itself.
      out.flush();
      err.flush();
    }
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
