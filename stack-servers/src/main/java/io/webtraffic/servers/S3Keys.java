package io.webtraffic.servers;

import java.util.Map;

/** The one key pair the object store accepts, and the REST catalog signs its requests with. */
record S3Keys(String accessKeyId, String secretAccessKey) {
  static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
  static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";

  static S3Keys fromEnvironment(Map<String, String> env) {
    String id = env.getOrDefault(ACCESS_KEY_ENV, "");
    String secret = env.getOrDefault(SECRET_KEY_ENV, "");
    if (id.isEmpty() || secret.isEmpty()) {
      throw new IllegalArgumentException(
          "the object store needs " + ACCESS_KEY_ENV + " and " + SECRET_KEY_ENV + " set");
    }
    return new S3Keys(id, secret);
  }

  @Override
  public String toString() {
    return "S3Keys[" + accessKeyId + ", ***]";
  }
}
