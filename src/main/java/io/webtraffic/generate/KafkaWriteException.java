package io.webtraffic.generate;

/** Records could not be written to Kafka; carries what was sent before the failure. */
public final class KafkaWriteException extends RuntimeException {
  private final transient GenerationSummary sentBeforeFailure;

  KafkaWriteException(
      String bootstrapServers, Throwable cause, GenerationSummary sentBeforeFailure) {
    super("Cannot write to Kafka at " + bootstrapServers + ": " + reason(cause), cause);
    this.sentBeforeFailure = sentBeforeFailure;
  }

  /** Records handed to the producer before it failed; some of them may not have been written. */
  public GenerationSummary sentBeforeFailure() {
    return sentBeforeFailure;
  }

  /**
   * The innermost message: Kafka wraps the useful one ("No resolvable bootstrap urls…") in generic
   * ones.
   */
  private static String reason(Throwable cause) {
    Throwable innermost = cause;
    while (innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    String message = innermost.getMessage();
    return message == null ? innermost.getClass().getSimpleName() : message;
  }
}
