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
    cmd.getErr().println("Failed: " + rootMessage(e));
    return 1;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return (message == null ? t.getClass().getSimpleName() : message).lines().findFirst().orElse("");
  }
}
