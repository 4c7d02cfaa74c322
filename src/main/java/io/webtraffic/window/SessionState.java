package io.webtraffic.window;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One open session of an (ip, host): a Java bean, because Spark keeps it in the state store with a
 * bean encoder. The user-agent attributes are those of the session's earliest event.
 */
public class SessionState implements Serializable {
  private String id;
  private String ip;
  private String host;
  private long startMs;
  private long lastMs;
  private long events;
  private List<String> urls = new ArrayList<>();
  private String uaFamily;
  private String deviceFamily;
  private String osFamily;

  public SessionState() {}

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getIp() {
    return ip;
  }

  public void setIp(String ip) {
    this.ip = ip;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public long getStartMs() {
    return startMs;
  }

  public void setStartMs(long startMs) {
    this.startMs = startMs;
  }

  public long getLastMs() {
    return lastMs;
  }

  public void setLastMs(long lastMs) {
    this.lastMs = lastMs;
  }

  public long getEvents() {
    return events;
  }

  public void setEvents(long events) {
    this.events = events;
  }

  /** The distinct URLs seen, sorted. */
  public List<String> getUrls() {
    return urls;
  }

  public void setUrls(List<String> urls) {
    this.urls = urls;
  }

  public String getUaFamily() {
    return uaFamily;
  }

  public void setUaFamily(String uaFamily) {
    this.uaFamily = uaFamily;
  }

  public String getDeviceFamily() {
    return deviceFamily;
  }

  public void setDeviceFamily(String deviceFamily) {
    this.deviceFamily = deviceFamily;
  }

  public String getOsFamily() {
    return osFamily;
  }

  public void setOsFamily(String osFamily) {
    this.osFamily = osFamily;
  }
}
