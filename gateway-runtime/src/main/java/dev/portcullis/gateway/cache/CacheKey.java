package dev.portcullis.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity of a cached answer: SHA-256 over the {@link CacheSubject} and a canonical form of
 * the request body, as 64 hex digits.
 *
 * <p>Canonical form: object keys sorted (recursively, so {@code {"a":1,"b":2}} and {@code
 * {"b":2,"a":1}} are one key), numbers by value ({@code 1}, {@code 1.0} and {@code 1e0} are one
 * number), every value tagged with its JSON type and strings length-prefixed, so no two different
 * bodies serialize alike. Every top-level field is part of the key — model, messages, system,
 * tools, tool_choice, response_format, sampling parameters, and fields this gateway does not know
 * (an unknown field may change the answer, so it is safer in than out) — except {@link
 * #IGNORED_FIELDS}, which cannot change the answer:
 *
 * <ul>
 *   <li>{@code stream}, {@code stream_options}: the delivery, not the answer; a stored answer is
 *       replayed as a stream or served whole ({@link StreamReplayer}, {@link StreamAssembler});
 *   <li>{@code metadata} (Anthropic's {@code user_id}, OpenAI's tags), {@code user}: attribution.
 *       Isolation between callers comes from the subject (namespace, or key with {@code scope:
 *       Key}), never from what the caller writes in the body.
 * </ul>
 *
 * <p>A semantic route also computes a {@linkplain #semanticContext context key}: the same hash with
 * the last user message left out, so everything except that message must match exactly.
 *
 * @param value 64 lower-case hex digits
 */
public record CacheKey(String value) {
  /** Top-level request fields left out of every key, because they cannot change the answer. */
  public static final Set<String> IGNORED_FIELDS =
      Set.of("stream", "stream_options", "metadata", "user");

  private static final byte[] EXACT_DOMAIN =
      "portcullis-cache-exact-v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CONTEXT_DOMAIN =
      "portcullis-cache-context-v1".getBytes(StandardCharsets.UTF_8);

  /** The key of this exact request. */
  public static CacheKey exact(CacheSubject subject, ObjectNode body) {
    return hash(EXACT_DOMAIN, subject, body);
  }

  /**
   * The key of everything but the last user message, for a semantic route: two requests that differ
   * only in that message's wording share it, any other difference (model, system prompt, earlier
   * turns, tools, parameters) separates them.
   *
   * @param contextBody the body with the last user message replaced, from {@link
   *     LastUserMessage#contextBody()}
   */
  public static CacheKey semanticContext(CacheSubject subject, ObjectNode contextBody) {
    return hash(CONTEXT_DOMAIN, subject, contextBody);
  }

  private static CacheKey hash(byte[] domain, CacheSubject subject, ObjectNode body) {
    Canonical out = new Canonical();
    out.bytes(domain);
    out.string(subject.namespace());
    if (subject.keyName() == null) {
      out.tag('-');
    } else {
      out.string(subject.keyName());
    }
    out.string(subject.routeId());
    out.string(subject.operation().operationName());
    List<String> names = new ArrayList<>(body.size());
    body.fieldNames().forEachRemaining(names::add);
    Collections.sort(names);
    out.tag('{');
    for (String name : names) {
      if (!IGNORED_FIELDS.contains(name)) {
        out.string(name);
        out.value(body.get(name));
      }
    }
    out.tag('}');
    return new CacheKey(HexFormat.of().formatHex(out.digest()));
  }

  /** The canonical serialization, buffered and hashed once. */
  private static final class Canonical extends ByteArrayOutputStream {
    Canonical() {
      super(4096);
    }

    void tag(char c) {
      write(c);
    }

    void bytes(byte[] b) {
      writeLength(b.length);
      write(b, 0, b.length);
    }

    void string(String s) {
      tag('s');
      bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private void writeLength(int n) {
      write(n >>> 24);
      write(n >>> 16);
      write(n >>> 8);
      write(n);
    }

    void value(JsonNode node) {
      switch (node.getNodeType()) {
        case OBJECT -> {
          List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
          Iterator<Map.Entry<String, JsonNode>> it = node.fields();
          it.forEachRemaining(fields::add);
          fields.sort(Map.Entry.comparingByKey());
          tag('{');
          for (Map.Entry<String, JsonNode> field : fields) {
            string(field.getKey());
            value(field.getValue());
          }
          tag('}');
        }
        case ARRAY -> {
          tag('[');
          for (JsonNode element : node) {
            value(element);
          }
          tag(']');
        }
        case STRING -> string(node.textValue());
        case NUMBER -> {
          tag('n');
          bytes(canonicalNumber(node).getBytes(StandardCharsets.US_ASCII));
        }
        case BOOLEAN -> tag(node.booleanValue() ? 't' : 'f');
        case NULL, MISSING -> tag('0');
        default -> string(node.asText());
      }
    }

    private static String canonicalNumber(JsonNode node) {
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        return Long.toString(node.longValue());
      }
      BigDecimal d = node.decimalValue().stripTrailingZeros();
      return d.signum() == 0 ? "0" : d.toPlainString();
    }

    byte[] digest() {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(buf, 0, count);
        return sha.digest();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }
}
