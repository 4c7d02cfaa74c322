package io.webtraffic.config;

/** A setting that cannot be used; the message names the key, the bad value and what is allowed. */
public final class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String message) {
    super(message);
  }

  public static InvalidConfigException invalid(String key, Object value, String allowed) {
    return new InvalidConfigException(String.format("Invalid %s: '%s' (%s)", key, value, allowed));
  }
}
