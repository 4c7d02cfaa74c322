package io.webtraffic.ops;

/**
 * A checkpoint that does not exist or has not committed a batch yet: there is no position to
 * report. Not an error of the command, so the CLI exits with its own code and no stack trace.
 */
public final class NoCommittedBatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NoCommittedBatchException(String message) {
    super(message);
  }
}
