package io.webtraffic.cli;

/** The topic a command writes to does not exist; the message says how to create it. */
final class MissingTopicException extends RuntimeException {
  MissingTopicException(String message) {
    super(message);
  }
}
