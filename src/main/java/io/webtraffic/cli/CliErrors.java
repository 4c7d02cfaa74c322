package io.webtraffic.cli;

import io.webtraffic.config.InvalidConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns failures into one readable line for the user; the stack trace goes to the log only. */
final class CliErrors implements IExecutionExceptionHandler {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CliErrors.class);

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (e instanceof InvalidConfigException) {
      cmd.getErr().println("Invalid configuration: " + e.getMessage());
      return 2;
    }
    LOG.debug("Command failed", e);
    cmd.getErr().println("Failed: " + message(e));
    return 1;
  }

  /** The first line of the outermost message: ours say what could not be done and why. */
  static String message(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return (message == null ? t.getClass().getSimpleName() : message)
        .lines()
        .findFirst()
        .orElse("");
  }
}
