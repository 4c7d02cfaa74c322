package io.webtraffic.enrich;

import java.io.Serializable;

/** Where an IP address is: every field a value, {@value #UNKNOWN} when the dimension has none. */
public record Geo(String country, String state, String city) implements Serializable {
  public static final String UNKNOWN = "unknown";
  public static final Geo UNKNOWN_GEO = new Geo(UNKNOWN, UNKNOWN, UNKNOWN);

  public Geo {
    country = orUnknown(country);
    state = orUnknown(state);
    city = orUnknown(city);
  }

  static String orUnknown(String value) {
    return value == null || value.isBlank() ? UNKNOWN : value;
  }
}
