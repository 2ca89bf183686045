package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who shares a route's cached answers. */
public enum CacheScope {
  /** Every VirtualKey of the caller's namespace (the default); never another namespace. */
  @JsonProperty("Namespace")
  NAMESPACE("Namespace"),
  /** Only the calling VirtualKey itself. */
  @JsonProperty("Key")
  KEY("Key");

  private final String wireName;

  CacheScope(String wireName) {
    this.wireName = wireName;
  }

  /** The spelling used in resources, e.g. in YAML. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
