package io.webtraffic.enrich;

import java.io.Serializable;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as one unsigned 128-bit number ({@code hi}, {@code lo}), so both families
 * sort and compare in one range table. IPv4 addresses sit in the IPv4-mapped block {@code
 * ::ffff:0:0/96}: {@code 192.0.2.1} and {@code ::ffff:192.0.2.1} are the same client.
 *
 * <p>Parsed here, strictly, from the literal text: {@code InetAddress.getByName} would resolve a
 * host name over DNS (a per-row network call), and the Guava on the classpath is Spark's provided
 * copy, whose version the cluster decides. Zone ids ({@code fe80::1%eth0}), CIDR suffixes and
 * surrounding blanks are not addresses and parse as empty.
 */
public record IpAddress(long hi, long lo) implements Comparable<IpAddress>, Serializable {
  private static final long IPV4_MAPPED = 0xffff_0000_0000L;

  /** The address, or empty when the text is not an IPv4 or IPv6 literal. */
  public static Optional<IpAddress> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return Optional.empty();
    }
    if (text.indexOf(':') < 0) {
      long v4 = ipv4(text);
      return v4 < 0 ? Optional.empty() : Optional.of(new IpAddress(0, IPV4_MAPPED | v4));
    }
    return ipv6(text);
  }

  @Override
  public int compareTo(IpAddress other) {
    int byHi = Long.compareUnsigned(hi, other.hi);
    return byHi != 0 ? byHi : Long.compareUnsigned(lo, other.lo);
  }

  /** The address as text: dotted for IPv4, else RFC 5952 (lower case, longest zero run as ::). */
  @Override
  public String toString() {
    if (hi == 0 && (lo >>> 32) == 0xffff) {
      return (lo >>> 24 & 0xff)
          + "."
          + (lo >>> 16 & 0xff)
          + "."
          + (lo >>> 8 & 0xff)
          + "."
          + (lo & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (hi >>> (48 - 16 * i) & 0xffff);
      g[i + 4] = (int) (lo >>> (48 - 16 * i) & 0xffff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append(i == 0 ? "::" : ":");
        i += bestLength - 1;
        continue;
      }
      out.append(Integer.toHexString(g[i]));
      if (i < 7) {
        out.append(':');
      }
    }
    return out.toString();
  }

  /** Four dotted decimal parts of 0-255 without leading zeros (which some read as octal). */
  private static long ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || (part.length() > 1 && part.charAt(0) == '0')
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return -1;
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return -1;
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  /** Eight groups of 1-4 hex digits, one "::" for a run of zero groups, an optional IPv4 tail. */
  private static Optional<IpAddress> ipv6(String text) {
    int[] groups = new int[8];
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return Optional.empty();
    }
    String head = gap < 0 ? text : text.substring(0, gap);
    String tail = gap < 0 ? "" : text.substring(gap + 2);
    int[] before = groups(head, gap < 0);
    int[] after = gap < 0 ? new int[0] : groups(tail, true);
    if (before == null || after == null) {
      return Optional.empty();
    }
    int given = before.length + after.length;
    if (gap < 0 ? given != 8 : given > 7) {
      return Optional.empty();
    }
    System.arraycopy(before, 0, groups, 0, before.length);
    System.arraycopy(after, 0, groups, 8 - after.length, after.length);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 4; i++) {
      hi = (hi << 16) | groups[i];
      lo = (lo << 16) | groups[i + 4];
    }
    return Optional.of(new IpAddress(hi, lo));
  }

  /**
   * The 16-bit groups of one side of "::" (an IPv4 tail counts as two), or null when malformed.
   *
   * @param last whether this side ends the address, where an IPv4 tail may appear
   */
  private static int[] groups(String side, boolean last) {
    if (side.isEmpty()) {
      return new int[0];
    }
    String[] parts = side.split(":", -1);
    boolean v4Tail = last && parts[parts.length - 1].indexOf('.') >= 0;
    int[] out = new int[parts.length + (v4Tail ? 1 : 0)];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (v4Tail && i == parts.length - 1) {
        long v4 = ipv4(part);
        if (v4 < 0) {
          return null;
        }
        out[i] = (int) (v4 >>> 16);
        out[i + 1] = (int) (v4 & 0xffff);
      } else if (part.isEmpty() || part.length() > 4 || !isHex(part)) {
        return null;
      } else {
        out[i] = Integer.parseInt(part, 16);
      }
    }
    return out;
  }

  private static boolean isHex(String s) {
    return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128);
  }
}
