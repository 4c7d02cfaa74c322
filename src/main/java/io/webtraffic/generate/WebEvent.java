package io.webtraffic.generate;

import java.time.Instant;
import java.util.Objects;

/**
 * The logical content of a generated event, independent of the producer generation that serialized
 * it; tests compare what the pipeline stored against it.
 *
 * @param url request path
 * @param referrer referring page, or null
 * @param host site host name
 * @param ip client address, IPv4 or IPv6
 * @param eventTime the {@code event_time} sent, at millisecond precision
 * @param userAgentFamily browser or bot family, e.g. "Chrome", "Googlebot"
 * @param deviceFamily device family, e.g. "iPhone", "Other"
 * @param osFamily operating system family, e.g. "Windows"
 * @param userId user id, sent by the newer producer generation only (else null)
 * @param academyId academy id, sent by the newer producer generation only (else null)
 * @param newProducer whether the newer generation (nested user agent and headers) serialized it
 * @param filterReason why the pipeline should filter it ({@link #STATIC_ASSET}, {@link
 *     #HEALTH_CHECK}, {@link #BOT}), or null for traffic it keeps
 */
public record WebEvent(
    String url,
    String referrer,
    String host,
    String ip,
    Instant eventTime,
    String userAgentFamily,
    String deviceFamily,
    String osFamily,
    Integer userId,
    Integer academyId,
    boolean newProducer,
    String filterReason) {

  public static final String STATIC_ASSET = "static_asset";
  public static final String HEALTH_CHECK = "health_check";
  public static final String BOT = "bot";

  public WebEvent {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(userAgentFamily, "userAgentFamily");
  }

  public boolean filtered() {
    return filterReason != null;
  }
}
