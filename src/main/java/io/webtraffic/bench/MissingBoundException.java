package io.webtraffic.bench;

/** A ratio was asked for over a bound that did not run or measured nothing: no number to print. */
public final class MissingBoundException extends RuntimeException {
  public MissingBoundException(String message) {
    super(message);
  }
}
