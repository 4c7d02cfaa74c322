package io.webtraffic.generate;

import io.webtraffic.generate.ClientPool.Client;
import java.time.Instant;
import java.util.SplittableRandom;

/** Draws who requests which page of which site, and which producer generation reports it. */
final class TrafficModel {
  /** Share of newer-producer events that carry the unknown extra field {@code experiment}. */
  private static final double EXPERIMENT_SHARE = 0.1;

  private final GeneratorSettings settings;
  private final SplittableRandom random;
  private final ClientPool clients;

  TrafficModel(GeneratorSettings settings, SplittableRandom random) {
    this.settings = settings;
    this.random = random;
    this.clients = new ClientPool(random.split());
  }

  /**
   * A page view the pipeline keeps: a browser, a page (never an asset or probe), maybe a referrer.
   */
  EventDraft pageView(long nominalMs, Instant eventTime) {
    Client client = clients.active(nominalMs, random);
    String host = SitePages.pick(settings.hosts(), random);
    String url = SitePages.page(host, random);
    return draft(client, host, url, SitePages.referrer(settings.hosts(), random), eventTime, null);
  }

  /**
   * A request the pipeline filters; each matches exactly one rule (asset path, health path or bot
   * agent).
   */
  EventDraft filtered(long nominalMs, Instant eventTime) {
    String host = SitePages.pick(settings.hosts(), random);
    return switch (random.nextInt(3)) {
      case 0 ->
          draft(
              clients.active(nominalMs, random),
              host,
              SitePages.staticAsset(random),
              "https://" + host + SitePages.page(host, random),
              eventTime,
              WebEvent.STATIC_ASSET);
      case 1 ->
          draft(
              clients.active(nominalMs, random),
              host,
              SitePages.healthCheck(random),
              null,
              eventTime,
              WebEvent.HEALTH_CHECK);
      default ->
          draft(
              clients.bot(random),
              host,
              SitePages.page(host, random),
              null,
              eventTime,
              WebEvent.BOT);
    };
  }

  private EventDraft draft(
      Client client,
      String host,
      String url,
      String referrer,
      Instant eventTime,
      String filterReason) {
    boolean newProducer = random.nextDouble() < settings.newProducerFraction();
    UserAgent agent = client.agent();
    WebEvent event =
        new WebEvent(
            url,
            referrer,
            host,
            client.ip(),
            eventTime,
            agent.family(),
            agent.device(),
            agent.os(),
            newProducer ? client.userId() : null,
            newProducer ? client.academyId() : null,
            newProducer,
            filterReason);
    String experiment = null;
    if (newProducer && random.nextDouble() < EXPERIMENT_SHARE) {
      experiment = random.nextBoolean() ? "a" : "b";
    }
    return new EventDraft(event, agent, client.acceptLanguage(), experiment);
  }
}
