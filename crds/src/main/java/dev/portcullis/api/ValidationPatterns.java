package dev.portcullis.api;

/**
 * Regular expressions the CRD schemas use for string fields. Constants so that the annotations on
 * the resource types and any Java-side validation share one spelling. Durations use {@link
 * Durations#PATTERN}.
 */
public final class ValidationPatterns {
  /** A non-negative USD amount as a decimal string, e.g. {@code 100.00} or {@code 0.075}. */
  public static final String MONEY = "^[0-9]{1,12}(\\.[0-9]{1,6})?$";

  /** An RFC 1123 DNS label, e.g. a namespace or a target name (max 63 characters). */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** An RFC 1123 DNS subdomain, e.g. a resource or Secret name (max 253 characters). */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A route reference in a VirtualKey: {@code name} or {@code namespace/name}. */
  public static final String ROUTE_REFERENCE =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?"
          + "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A key of a Secret's data. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** A namespace name or {@code *} (all namespaces). */
  public static final String NAMESPACE_OR_ALL = "^(\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$";

  /** An RFC 3339 timestamp, e.g. {@code 2027-01-01T00:00:00Z}. */
  public static final String TIMESTAMP =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

  /** An http or https URL. */
  public static final String HTTP_URL = "^https?://[^\\s]+$";

  /** A template variable name, usable as {@code {{name}}}. */
  public static final String IDENTIFIER = "^[A-Za-z_][A-Za-z0-9_]*$";

  private ValidationPatterns() {}
}
