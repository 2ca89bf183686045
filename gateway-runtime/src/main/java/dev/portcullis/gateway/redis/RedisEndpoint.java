package dev.portcullis.gateway.redis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where the fleet's shared state lives, read from one URL, and the Jedis client for it. Three
 * topologies, each with Jedis's own client:
 *
 * <ul>
 *   <li>{@code redis://[[user]:password@]host:port[/db]} (or {@code rediss://} for TLS): one node.
 *   <li>{@code redis-sentinel://[[user]:password@]host:port[,host:port…]/master-name[/db]} (or
 *       {@code rediss-sentinel://}): the sentinels to ask for the current master; after a failover
 *       the client follows the newly promoted master. Query {@code sentinelPassword=…} when the
 *       sentinels need their own password; {@code waitReplicas=N} (default 1) makes every write
 *       wait until N replicas hold it, so a failover cannot lose an admitted request.
 *   <li>{@code redis-cluster://[[user]:password@]host:port[,host:port…]} (or {@code
 *       rediss-cluster://}): seed nodes of a Redis Cluster; keys of one subject share a hash tag,
 *       so each script runs on one slot.
 * </ul>
 *
 * <p>{@link #toString()} never shows a password.
 */
public final class RedisEndpoint {
  /** How the nodes are arranged. */
  public enum Topology {
    STANDALONE,
    SENTINEL,
    CLUSTER
  }

  private final Topology topology;
  private final boolean tls;
  private final List<HostAndPort> nodes;
  private final String user;
  private final String password;
  private final String masterName;
  private final int database;
  private final String sentinelPassword;
  private final int waitReplicas;
  private final String singleNodeUrl;

  private RedisEndpoint(
      Topology topology,
      boolean tls,
      List<HostAndPort> nodes,
      String user,
      String password,
      String masterName,
      int database,
      String sentinelPassword,
      int waitReplicas,
      String singleNodeUrl) {
    this.topology = topology;
    this.tls = tls;
    this.nodes = List.copyOf(nodes);
    this.user = user;
    this.password = password;
    this.masterName = masterName;
    this.database = database;
    this.sentinelPassword = sentinelPassword;
    this.waitReplicas = waitReplicas;
    this.singleNodeUrl = singleNodeUrl;
  }

  /**
   * Parses a URL of one of the three forms.
   *
   * @throws IllegalArgumentException naming what is wrong, never echoing a password
   */
  public static RedisEndpoint parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("The Redis URL is empty.");
    }
    int schemeEnd = url.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException(
          "The Redis URL must start with redis://, rediss://, redis-sentinel:// or"
              + " redis-cluster://.");
    }
    String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = url.substring(schemeEnd + 3);
    Topology topology;
    boolean tls;
    switch (scheme) {
      case "redis" -> {
        topology = Topology.STANDALONE;
        tls = false;
      }
      case "rediss" -> {
        topology = Topology.STANDALONE;
        tls = true;
      }
      case "redis-sentinel" -> {
        topology = Topology.SENTINEL;
        tls = false;
      }
      case "rediss-sentinel" -> {
        topology = Topology.SENTINEL;
        tls = true;
      }
      case "redis-cluster" -> {
        topology = Topology.CLUSTER;
        tls = false;
      }
      case "rediss-cluster" -> {
        topology = Topology.CLUSTER;
        tls = true;
      }
      default ->
          throw new IllegalArgumentException(
              "Unknown Redis URL scheme '"
                  + scheme
                  + "': use redis, rediss, redis-sentinel, rediss-sentinel, redis-cluster or"
                  + " rediss-cluster.");
    }
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = decode(userInfo);
      } else {
        user = userInfo.substring(0, colon).isEmpty() ? null : decode(userInfo.substring(0, colon));
        password = decode(userInfo.substring(colon + 1));
      }
    }
    List<HostAndPort> nodes = new ArrayList<>();
    for (String node : authority.split(",")) {
      nodes.add(hostAndPort(node.strip(), topology == Topology.SENTINEL ? 26379 : 6379));
    }
    if (topology == Topology.STANDALONE && nodes.size() != 1) {
      throw new IllegalArgumentException(
          "A redis:// URL names one node; use redis-sentinel:// or redis-cluster:// for several.");
    }
    Map<String, String> params = params(query);
    String masterName = null;
    int database = 0;
    List<String> segments = path.isEmpty() ? List.of() : List.of(path.split("/"));
    if (topology == Topology.SENTINEL) {
      if (segments.isEmpty() || segments.get(0).isBlank()) {
        throw new IllegalArgumentException(
            "A redis-sentinel:// URL names the master after the sentinels:"
                + " redis-sentinel://host:26379,host:26380/mymaster");
      }
      masterName = decode(segments.get(0));
      database = segments.size() > 1 ? database(segments.get(1)) : 0;
    } else if (topology == Topology.STANDALONE) {
      database = segments.isEmpty() ? 0 : database(segments.get(0));
    } else if (!segments.isEmpty() && !segments.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "A Redis Cluster has only database 0: leave out the path.");
    }
    int waitReplicas = topology == Topology.SENTINEL ? 1 : 0;
    if (params.containsKey("waitReplicas")) {
      try {
        waitReplicas = Integer.parseInt(params.get("waitReplicas"));
      } catch (NumberFormatException e) {
        waitReplicas = -1;
      }
      if (waitReplicas < 0) {
        throw new IllegalArgumentException("waitReplicas must be a whole number of replicas.");
      }
    }
    return new RedisEndpoint(
        topology,
        tls,
        nodes,
        user,
        password,
        masterName,
        database,
        params.get("sentinelPassword"),
        waitReplicas,
        topology == Topology.STANDALONE ? url : null);
  }

  public Topology topology() {
    return topology;
  }

  public List<HostAndPort> nodes() {
    return nodes;
  }

  /** How many replicas must hold a write before it counts (Redis {@code WAIT}); 0: do not wait. */
  public int waitReplicas() {
    return waitReplicas;
  }

  /**
   * A client for this endpoint.
   *
   * @param timeout connect and read timeout; also the longest wait for a pooled connection
   */
  public UnifiedJedis connect(Duration timeout) {
    int millis = (int) timeout.toMillis();
    GenericObjectPoolConfig<Connection> pool = pool(timeout);
    return switch (topology) {
      case STANDALONE ->
          new JedisPooled((ConnectionPoolConfig) pool, URI.create(singleNodeUrl), millis, millis);
      case SENTINEL ->
          new JedisSentineled(
              masterName,
              clientConfig(millis, user, password, database),
              pool,
              new LinkedHashSet<>(nodes),
              clientConfig(millis, null, sentinelPassword, 0));
      case CLUSTER ->
          new JedisCluster(
              new LinkedHashSet<>(nodes), clientConfig(millis, user, password, 0), 5, pool);
    };
  }

  private JedisClientConfig clientConfig(int millis, String user, String password, int database) {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(millis)
        .socketTimeoutMillis(millis)
        .user(user)
        .password(password)
        .database(database)
        .ssl(tls)
        .clientName("portcullis")
        .build();
  }

  private static ConnectionPoolConfig pool(Duration timeout) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(128);
    pool.setMaxIdle(128);
    pool.setMinIdle(0);
    pool.setMaxWait(timeout.multipliedBy(4));
    pool.setTestWhileIdle(true);
    return pool;
  }

  private static HostAndPort hostAndPort(String node, int defaultPort) {
    if (node.isEmpty()) {
      throw new IllegalArgumentException("The Redis URL has an empty host.");
    }
    String host = node;
    int port = defaultPort;
    int colon = node.lastIndexOf(':');
    if (colon > 0 && !node.endsWith("]")) {
      host = node.substring(0, colon);
      try {
        port = Integer.parseInt(node.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("The Redis URL has a port that is not a number.");
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("The Redis URL has a port out of range.");
    }
    return new HostAndPort(host, port);
  }

  private static int database(String segment) {
    try {
      int db = Integer.parseInt(segment);
      if (db >= 0) {
        return db;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("The Redis database must be a whole number.");
  }

  private static Map<String, String> params(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The topology and nodes, without user or password. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("RedisEndpoint[").append(topology).append(' ');
    s.append(tls ? "tls " : "");
    for (int i = 0; i < nodes.size(); i++) {
      s.append(i == 0 ? "" : ",").append(nodes.get(i));
    }
    if (masterName != null) {
      s.append(" master=").append(masterName);
    }
    return s.append(password == null ? "" : " password=***").append(']').toString();
  }
}
