package io.webtraffic.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Paths and referrers that look like the academy's sites. Page paths have no file extension and
 * never start with {@code /static} or {@code /health}, so a kept page view cannot match a filter
 * rule; {@link #staticAsset} and {@link #healthCheck} make the ones that must.
 */
final class SitePages {
  private static final List<String> COURSES =
      List.of(
          "streaming",
          "spark-fundamentals",
          "flink-in-practice",
          "kafka-basics",
          "iceberg-lakehouse",
          "sql-101");
  private static final List<String> POSTS =
      List.of(
          "flink-vs-spark",
          "exactly-once-sinks",
          "watermarks-explained",
          "iceberg-maintenance",
          "kafka-partitions",
          "session-windows",
          "late-data");
  private static final List<String> DOCS =
      List.of(
          "getting-started",
          "spark/structured-streaming",
          "kafka/consumer-groups",
          "iceberg/time-travel",
          "postgres/upserts",
          "faq");
  private static final List<String> WWW_PAGES =
      List.of("/", "/pricing", "/courses", "/about", "/login", "/signup", "/search", "/careers");
  private static final List<String> APP_PAGES =
      List.of("/dashboard", "/settings", "/certificates", "/api/session");

  /**
   * Referrers from outside the sites; null (no referrer) is the most common case and handled
   * separately.
   */
  private static final List<String> EXTERNAL_REFERRERS =
      List.of(
          "https://www.google.com/",
          "https://www.google.com/",
          "https://www.google.com/",
          "https://www.bing.com/",
          "https://news.ycombinator.com/",
          "https://www.linkedin.com/");

  private static final double NO_REFERRER = 0.45;
  private static final double EXTERNAL_REFERRER = 0.25;
  private static final int LESSONS = 120;

  private SitePages() {}

  /**
   * A page on {@code host}, chosen by the host's first label (www, blog, app, docs; anything else
   * looks like www).
   */
  static String page(String host, SplittableRandom random) {
    String label = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
    return switch (label) {
      case "blog" -> random.nextInt(5) == 0 ? "/" : "/blog/" + pick(POSTS, random);
      case "app" -> appPage(random);
      case "docs" -> "/docs/" + pick(DOCS, random);
      default ->
          random.nextInt(3) == 0 ? "/courses/" + pick(COURSES, random) : pick(WWW_PAGES, random);
    };
  }

  /** Null, an external referrer, or a page on one of the sites. */
  static String referrer(List<String> hosts, SplittableRandom random) {
    double draw = random.nextDouble();
    if (draw < NO_REFERRER) {
      return null;
    }
    if (draw < NO_REFERRER + EXTERNAL_REFERRER) {
      return pick(EXTERNAL_REFERRERS, random);
    }
    String host = pick(hosts, random);
    return "https://" + host + page(host, random);
  }

  private static String appPage(SplittableRandom random) {
    int lesson = 1 + random.nextInt(LESSONS);
    return switch (random.nextInt(4)) {
      case 0 -> "/lessons/" + lesson;
      case 1 -> "/api/lessons/" + lesson + "/progress";
      default -> pick(APP_PAGES, random);
    };
  }

  /** A fingerprinted bundle, stylesheet or image, or the favicon. */
  static String staticAsset(SplittableRandom random) {
    String fingerprint = String.format("%08x", random.nextInt() & 0xffffffffL);
    return switch (random.nextInt(4)) {
      case 0 -> "/static/app." + fingerprint + ".js";
      case 1 -> "/static/app." + fingerprint + ".css";
      case 2 -> "/static/img/hero." + fingerprint + ".png";
      default -> "/favicon.ico";
    };
  }

  static String healthCheck(SplittableRandom random) {
    return random.nextBoolean() ? "/health" : "/healthz";
  }

  static <T> T pick(List<T> values, SplittableRandom random) {
    return values.get(random.nextInt(values.size()));
  }
}
