package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.json.Jackson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A client's JSON body: the raw bytes plus what the gateway needs to route it, found in one
 * streaming pass that also proves the JSON well formed. The full tree is parsed only when a stage
 * must change more than the model name.
 */
public final class RequestBody {
  static final ObjectMapper JSON = Jackson.MAPPER;
  private static final JsonFactory FACTORY =
      Jackson.factory().enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

  private final byte[] bytes;
  private final String model;
  private final boolean stream;
  private final boolean includeUsage;
  private final int modelStart;
  private final int modelEnd;
  private final Set<String> fields;
  private final Map<String, Long> integers;
  private ObjectNode tree;
  private int promptTokens = -1;

  private RequestBody(
      byte[] bytes,
      String model,
      boolean stream,
      boolean includeUsage,
      int modelStart,
      int modelEnd,
      Set<String> fields,
      Map<String, Long> integers) {
    this.bytes = bytes;
    this.fields = fields;
    this.integers = integers;
    this.model = model;
    this.stream = stream;
    this.includeUsage = includeUsage;
    this.modelStart = modelStart;
    this.modelEnd = modelEnd;
  }

  /** The JSON types a top-level field must have, by field name. */
  public enum FieldType {
    STRING,
    BOOLEAN,
    NUMBER,
    INTEGER,
    ARRAY,
    OBJECT,
    STRING_OR_ARRAY,
    STRING_OR_OBJECT
  }

  /**
   * Scans a body.
   *
   * @param fieldTypes types of known top-level fields (others are not checked)
   * @throws GatewayException 400 for malformed JSON (with the position), a non-object body, or a
   *     field of the wrong type (naming it)
   */
  public static RequestBody scan(byte[] bytes, Map<String, FieldType> fieldTypes) {
    String model = null;
    boolean stream = false;
    boolean includeUsage = false;
    int modelStart = -1;
    int modelEnd = -1;
    Set<String> fields = new HashSet<>();
    Map<String, Long> integers = new HashMap<>();
    try (JsonParser p = FACTORY.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw badRequest("The request body must be a JSON object.", null);
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        fields.add(field);
        JsonToken value = p.nextToken();
        FieldType expected = fieldTypes.get(field);
        if (expected != null && value != JsonToken.VALUE_NULL && !matches(expected, value)) {
          throw badRequest("Field '" + field + "' must be " + describe(expected) + ".", field);
        }
        if (value == JsonToken.VALUE_NUMBER_INT) {
          // Beyond a long it is beyond every limit: kept as the largest long of its sign.
          integers.put(
              field,
              p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                  ? (p.getBigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE)
                  : p.getLongValue());
        }
        switch (field) {
          case "model" -> {
            if (value == JsonToken.VALUE_STRING) {
              modelStart = (int) p.currentTokenLocation().getByteOffset();
              model = p.getText();
              modelEnd = (int) p.currentLocation().getByteOffset();
            }
          }
          case "stream" -> stream = value == JsonToken.VALUE_TRUE;
          case "stream_options" -> {
            if (value == JsonToken.START_OBJECT) {
              includeUsage = scanIncludeUsage(p);
              continue;
            }
          }
          default -> {}
        }
        p.skipChildren();
      }
      if (t != JsonToken.END_OBJECT) {
        throw badRequest("The request body must be a single JSON object.", null);
      }
      if (p.nextToken() != null) {
        throw badRequest("Unexpected content after the JSON object.", null);
      }
    } catch (JsonParseException e) {
      var loc = e.getLocation();
      throw badRequest(
          "Malformed JSON at line "
              + loc.getLineNr()
              + ", column "
              + loc.getColumnNr()
              + ": "
              + e.getOriginalMessage(),
          null);
    } catch (IOException e) {
      throw badRequest("Could not read the JSON body: " + e.getMessage(), null);
    }
    return new RequestBody(
        bytes, model, stream, includeUsage, modelStart, modelEnd, fields, integers);
  }

  private static boolean scanIncludeUsage(JsonParser p) throws IOException {
    boolean include = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("include_usage")) {
        include = v == JsonToken.VALUE_TRUE;
      }
      p.skipChildren();
    }
    return include;
  }

  private static boolean matches(FieldType type, JsonToken token) {
    return switch (type) {
      case STRING -> token == JsonToken.VALUE_STRING;
      case BOOLEAN -> token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
      case NUMBER -> token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
      case INTEGER -> token == JsonToken.VALUE_NUMBER_INT;
      case ARRAY -> token == JsonToken.START_ARRAY;
      case OBJECT -> token == JsonToken.START_OBJECT;
      case STRING_OR_ARRAY -> token == JsonToken.VALUE_STRING || token == JsonToken.START_ARRAY;
      case STRING_OR_OBJECT -> token == JsonToken.VALUE_STRING || token == JsonToken.START_OBJECT;
    };
  }

  private static String describe(FieldType type) {
    return switch (type) {
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case INTEGER -> "an integer";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING_OR_ARRAY -> "a string or an array";
      case STRING_OR_OBJECT -> "a string or an object";
    };
  }

  static GatewayException badRequest(String message, String param) {
    return new GatewayException(ErrorKind.BAD_REQUEST, "invalid_request", message, param);
  }

  /** Whether the top-level field is present (null counts as present). */
  public boolean has(String field) {
    return fields.contains(field);
  }

  /** A top-level integer field's value (clamped to a long), or empty when absent or not one. */
  public OptionalLong integer(String field) {
    Long value = integers.get(field);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  public byte[] bytes() {
    return bytes;
  }

  /** The top-level {@code model}, or null when absent. */
  public String model() {
    return model;
  }

  public boolean stream() {
    return stream;
  }

  /** OpenAI {@code stream_options.include_usage}. */
  public boolean includeUsage() {
    return includeUsage;
  }

  /** The parsed body; parsed on first use. Callers must not change it (use {@link #copy()}). */
  public ObjectNode tree() {
    if (tree == null) {
      try {
        tree = (ObjectNode) JSON.readTree(bytes);
      } catch (IOException e) {
        throw new IllegalStateException("body was scanned as valid JSON", e);
      }
    }
    return tree;
  }

  /**
   * The prompt's tokens as {@code endpoint} counts them for limits and budgets, counted once per
   * body: the input guardrails' {@code length} check and admission share the count.
   */
  public int promptTokens(Endpoint endpoint, LocalTokenCounter counter) {
    if (promptTokens < 0) {
      promptTokens = endpoint.promptTokens(tree(), counter);
    }
    return promptTokens;
  }

  /**
   * A cheap lower bound of {@link #promptTokens} (the count itself once it is made): {@code
   * endpoint}'s count with each text's o200k pre-tokenizer pieces in place of its tokens ({@link
   * LocalTokenCounter#LOWER_BOUND}). Sound because an endpoint's count is a sum of text counts and
   * fixed overheads, and each piece is at least one token; about a fifteenth of the count's cost.
   */
  public int promptTokensAtLeast(Endpoint endpoint) {
    return promptTokens >= 0
        ? promptTokens
        : endpoint.promptTokens(tree(), LocalTokenCounter.LOWER_BOUND);
  }

  /**
   * The most tokens any endpoint counts for one image: Anthropic's 1,600 (OpenAI's chat and
   * Responses count 765).
   */
  static final int MOST_TOKENS_PER_IMAGE = 1_600;

  /**
   * A cheap upper bound of {@link #promptTokens}: a text token is at least one UTF-8 byte of the
   * body, a message's few tokens of overhead are fewer than its JSON punctuation, a tool
   * definition's tokens are at most its JSON's bytes, and an image part (its type names an image)
   * counts at most {@link #MOST_TOKENS_PER_IMAGE}.
   */
  public long promptTokensAtMost() {
    long images = 0;
    for (int i = 0; i + 5 <= bytes.length; i++) {
      if (bytes[i] == 'i'
          && bytes[i + 1] == 'm'
          && bytes[i + 2] == 'a'
          && bytes[i + 3] == 'g'
          && bytes[i + 4] == 'e') {
        images++;
      }
    }
    return bytes.length + MOST_TOKENS_PER_IMAGE * images;
  }

  public ObjectNode copy() {
    return tree().deepCopy();
  }

  /**
   * The body with {@code model} replaced, rewriting only those bytes (the rest is forwarded
   * untouched).
   */
  public byte[] withModel(String newModel) {
    if (newModel == null || newModel.equals(model) || modelStart < 0) {
      return bytes;
    }
    byte[] quoted;
    try {
      quoted = JSON.writeValueAsBytes(newModel);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + quoted.length);
    out.write(bytes, 0, modelStart);
    out.write(quoted, 0, quoted.length);
    out.write(bytes, modelEnd, bytes.length - modelEnd);
    return out.toByteArray();
  }

  /**
   * A body rewritten by a stage (the input guardrails' redaction): scanned again so the model
   * bytes, the stream flags and every later stage (the same-format fast path included) see the
   * rewritten bytes.
   */
  static RequestBody of(JsonNode tree) {
    return scan(serialize(tree), Map.of());
  }

  static byte[] serialize(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "RequestBody[model=" + model + ", stream=" + stream + ", bytes=" + bytes.length + "]";
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
