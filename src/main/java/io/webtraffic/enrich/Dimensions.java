package io.webtraffic.enrich;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;

/**
 * One loaded version of the side inputs: the IP ranges and the hosts, small enough to broadcast.
 * {@code version} identifies the content (a hash of every row), so two loads of the same rows have
 * the same version and a batch's recorded version says exactly which rows enriched it.
 */
public record Dimensions(IpRanges ipRanges, Map<String, Site> hosts, String version)
    implements Serializable {

  public Dimensions {
    hosts = Map.copyOf(hosts);
  }

  public Geo geo(String ip) {
    return ipRanges.lookup(ip);
  }

  /** Host names compare case-insensitively, as DNS does. */
  public Site site(String host) {
    return host == null
        ? Site.UNKNOWN_SITE
        : hosts.getOrDefault(host.toLowerCase(Locale.ROOT), Site.UNKNOWN_SITE);
  }
}
