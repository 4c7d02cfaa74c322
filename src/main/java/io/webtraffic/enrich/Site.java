package io.webtraffic.enrich;

import java.io.Serializable;

/** What a host serves and who runs it; {@value Geo#UNKNOWN} for a host the dimension lacks. */
public record Site(String siteName, String owner, String environment) implements Serializable {
  public static final Site UNKNOWN_SITE = new Site(Geo.UNKNOWN, Geo.UNKNOWN, Geo.UNKNOWN);

  public Site {
    siteName = Geo.orUnknown(siteName);
    owner = Geo.orUnknown(owner);
    environment = Geo.orUnknown(environment);
  }
}
