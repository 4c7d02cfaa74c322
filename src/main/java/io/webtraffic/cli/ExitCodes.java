package io.webtraffic.cli;

/**
 * The exit codes every command documents in its help ({@code exitCodeList}); one place, so that the
 * help and {@link CliErrors} say the same thing.
 */
final class ExitCodes {
  private ExitCodes() {}

  static final String HEADING = "%nExit codes:%n";
  static final String OK = "0:done";
  static final String FAILED =
      "1:failed (one line on stderr says why; details at DEBUG in the log)";
  static final String MISUSE = "2:invalid option, argument or configuration";
  static final String NO_POSITION = "3:no checkpoint, or no committed batch yet";
  static final String QUALITY_STOP = "4:stopped by a data-quality check with action stop";
  static final String NOT_RUNNING = "3:the stack is not running";
}
