package dev.portcullis.gateway.cache;

import java.util.Objects;

/**
 * Who asks and where: the facts outside the request body that partition the cache. Entries are
 * never shared across namespaces; with {@code scope: Key} not even across the keys of one
 * namespace.
 *
 * @param namespace the caller key's namespace, never null
 * @param keyName the caller key's name when the route's scope is {@code Key}; null for scope {@code
 *     Namespace}
 * @param routeId the route's id ({@code namespace/name}), never null
 * @param operation what the caller asked for, in its format
 */
public record CacheSubject(
    String namespace, String keyName, String routeId, CachedOperation operation) {
  public CacheSubject {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(routeId, "routeId");
    Objects.requireNonNull(operation, "operation");
  }

  /** Scope {@code Namespace}: every key of the namespace shares the entries. */
  public static CacheSubject namespaceScope(
      String namespace, String routeId, CachedOperation operation) {
    return new CacheSubject(namespace, null, routeId, operation);
  }

  /** Scope {@code Key}: only the one key sees its entries. */
  public static CacheSubject keyScope(
      String namespace, String keyName, String routeId, CachedOperation operation) {
    return new CacheSubject(
        namespace, Objects.requireNonNull(keyName, "keyName"), routeId, operation);
  }
}
