package io.webtraffic.generate;

/**
 * An event before serialization: its logical content plus the details only the JSON carries (the
 * agent's version, the accept-language header, an unknown extra field of the newer producer).
 *
 * @param experiment value of the extra {@code experiment} field, or null to leave the field out
 */
record EventDraft(WebEvent event, UserAgent agent, String acceptLanguage, String experiment) {

  /**
   * A 64-bit fingerprint of the pipeline's dedup key without the event time: ip, host, url and user
   * agent. Compact, so remembering many recent keys stays cheap; a rare false match only costs a
   * redraw.
   */
  long dedupFingerprint() {
    String identity =
        event.ip() + '\u001f' + event.host() + '\u001f' + event.url() + '\u001f' + agent.identity();
    long hash = 0xcbf29ce484222325L; // FNV-1a
    for (int i = 0; i < identity.length(); i++) {
      hash ^= identity.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
