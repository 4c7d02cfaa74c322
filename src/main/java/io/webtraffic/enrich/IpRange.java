package io.webtraffic.enrich;

/** One row of the IP-range dimension: the first and last address, both included. */
public record IpRange(IpAddress first, IpAddress last, Geo geo) {
  @Override
  public String toString() {
    return first
        + " - "
        + last
        + " ("
        + geo.country()
        + ", "
        + geo.state()
        + ", "
        + geo.city()
        + ")";
  }
}
