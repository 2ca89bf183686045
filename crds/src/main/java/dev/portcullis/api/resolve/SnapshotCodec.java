package dev.portcullis.api.resolve;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The wire form of a {@link Snapshot}: the JSON the operator streams to gateways, and the content
 * hash that becomes {@link Snapshot#version()}.
 *
 * <p>The JSON is canonical, so equal snapshots give equal bytes and so equal versions: object
 * properties and map entries sorted by name, sets written as sorted arrays, free-form JSON with
 * sorted properties, nulls left out, money ({@link BigDecimal}) as decimal strings, {@link
 * java.time.Duration}s and {@link java.time.Instant}s as ISO-8601 strings.
 *
 * <p><b>The JSON holds provider credentials in plain text</b> ({@link
 * dev.portcullis.api.snapshot.SecretValue} serializes its value): gateways need them to call
 * upstreams, so the JSON travels only over the authenticated config channel and is never logged or
 * written to a dump. Virtual keys are not in it, only their SHA-256 hashes.
 *
 * <p>Reading is strict: a {@code schemaVersion} other than {@link Snapshot#SCHEMA_VERSION} and
 * unknown fields are refused, so a gateway NACKs a snapshot it does not fully understand and keeps
 * its last good one. Any change a gateway must not ignore bumps the schema version. Error messages
 * name the location of a fault but never quote the input, which may hold credentials.
 */
public final class SnapshotCodec {
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(canonicalForms())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // Records are read through their components; helpers such as TargetConfig.isRoute()
          // must not become properties (it would overwrite "route" with a boolean).
          .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .withConfigOverride(
              BigDecimal.class,
              o -> o.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING)))
          .build();

  private SnapshotCodec() {}

  /** The canonical JSON of {@code snapshot}, credentials included (see the class comment). */
  public static byte[] toJson(Snapshot snapshot) {
    try {
      return MAPPER.writeValueAsBytes(snapshot);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "snapshot " + snapshot.version() + " cannot be written as JSON: " + describe(e));
    }
  }

  /** The canonical JSON of a delta, credentials of changed entries included. */
  public static byte[] toJson(SnapshotDelta delta) {
    try {
      return MAPPER.writeValueAsBytes(delta);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "the delta to " + delta.version() + " cannot be written as JSON: " + describe(e));
    }
  }

  /**
   * Reads a snapshot written by {@link #toJson}.
   *
   * @throws IllegalArgumentException when the JSON is malformed, has an unsupported {@code
   *     schemaVersion}, or does not fit the snapshot records; the message says where, without
   *     quoting the input
   */
  public static Snapshot fromJson(byte[] json) {
    Header header = headerOf(json);
    if (header.delta()) {
      throw new IllegalArgumentException("this is a delta, not a whole snapshot");
    }
    return read(json, Snapshot.class, "snapshot");
  }

  /**
   * Reads one line of the fleet stream: a whole {@link Snapshot} or a {@link SnapshotDelta} (told
   * apart by the delta's {@code base}).
   *
   * @throws IllegalArgumentException as {@link #fromJson}
   */
  public static Object readFleetMessage(byte[] json) {
    Header header = headerOf(json);
    return header.delta()
        ? read(json, SnapshotDelta.class, "delta")
        : read(json, Snapshot.class, "snapshot");
  }

  /**
   * The top-level {@code version} of a snapshot or delta, found by streaming over the document, or
   * null when it has none or is not JSON; for naming a version a gateway could not read.
   */
  public static String versionOf(byte[] json) {
    try (JsonParser parser = MAPPER.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("version".equals(field) && value == JsonToken.VALUE_STRING) {
          return parser.getText();
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static <T> T read(byte[] json, Class<T> type, String what) {
    // Bound straight from the bytes: going through a JsonNode tree first costs several times as
    // much for a snapshot of thousands of keys, and every gateway of a fleet pays it per version.
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " does not fit schemaVersion "
              + Snapshot.SCHEMA_VERSION
              + ": "
              + describe(e));
    }
  }

  /** What the top level says about a document: whether it is a delta (it names a base). */
  private record Header(boolean delta) {}

  /**
   * Checks the top-level {@code schemaVersion} by streaming over the document (other values are
   * skipped unread), so an incompatible snapshot is named as such before binding fails on it.
   */
  private static Header headerOf(byte[] json) {
    try (JsonParser parser = MAPPER.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("the snapshot is not a JSON object");
      }
      Integer schemaVersion = null;
      boolean delta = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("schemaVersion".equals(field)
            && value == JsonToken.VALUE_NUMBER_INT
            && parser.getNumberType() == JsonParser.NumberType.INT) {
          schemaVersion = parser.getIntValue();
        } else {
          delta |= "base".equals(field);
          parser.skipChildren();
        }
      }
      if (schemaVersion == null) {
        throw new IllegalArgumentException(
            "the snapshot has no schemaVersion; this gateway reads schemaVersion "
                + Snapshot.SCHEMA_VERSION);
      }
      if (schemaVersion != Snapshot.SCHEMA_VERSION) {
        throw new IllegalArgumentException(
            "the snapshot has schemaVersion "
                + schemaVersion
                + ", but this gateway reads only schemaVersion "
                + Snapshot.SCHEMA_VERSION
                + "; run gateways and operator of matching releases");
      }
      return new Header(delta);
    } catch (IOException e) {
      throw new IllegalArgumentException("the snapshot is not valid JSON: " + describe(e));
    }
  }

  /**
   * The content hash of a snapshot, {@code sha256:<hex>} of its canonical JSON without {@code
   * version}: equal content gives an equal version, whatever {@code snapshot.version()} says.
   */
  public static String computeVersion(Snapshot snapshot) {
    Snapshot content =
        new Snapshot(
            snapshot.schemaVersion(),
            null,
            snapshot.routes(),
            snapshot.keys(),
            snapshot.policies(),
            snapshot.templates());
    return "sha256:" + sha256Hex(toJson(content));
  }

  /** {@code snapshot} with its version set to {@link #computeVersion}. */
  public static Snapshot withComputedVersion(Snapshot snapshot) {
    return new Snapshot(
        snapshot.schemaVersion(),
        computeVersion(snapshot),
        snapshot.routes(),
        snapshot.keys(),
        snapshot.policies(),
        snapshot.templates());
  }

  /**
   * Free-form JSON as it reads back from its own JSON text, so that the snapshot the resolver
   * builds equals the one a gateway decodes (an int written from a {@code long} node reads back as
   * an int node; Jackson's node equality tells them apart).
   */
  static JsonTree normalizedTree(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return JsonTree.EMPTY;
    }
    try {
      return JsonTree.of(MAPPER.readTree(MAPPER.writeValueAsBytes(node)));
    } catch (IOException e) {
      throw new IllegalArgumentException("free-form JSON cannot be normalized: " + describe(e));
    }
  }

  /** Free-form JSON of any resource part, e.g. a guardrail check's settings object. */
  static JsonTree treeOf(Object resourcePart) {
    return normalizedTree(MAPPER.valueToTree(resourcePart));
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Kind and location of a Jackson failure, never its message: that may quote the input. */
  private static String describe(Exception e) {
    StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      sb.append(" at ").append(mapping.getPathReference());
    }
    if (e instanceof JacksonException jackson && jackson.getLocation() != null) {
      sb.append(" (line ")
          .append(jackson.getLocation().getLineNr())
          .append(", column ")
          .append(jackson.getLocation().getColumnNr())
          .append(')');
    }
    return sb.toString();
  }

  private static SimpleModule canonicalForms() {
    SimpleModule module = new SimpleModule("portcullis-snapshot");
    @SuppressWarnings({"unchecked", "rawtypes"})
    Class<Set<?>> setType = (Class) Set.class;
    module.addSerializer(setType, new SortedSetSerializer());
    module.addDeserializer(JsonTree.class, new JsonTreeDeserializer());
    return module;
  }

  /** Sets (status codes, namespaces, stages) as sorted arrays: their iteration order is random. */
  private static final class SortedSetSerializer extends StdSerializer<Set<?>> {
    @SuppressWarnings({"unchecked", "rawtypes"})
    SortedSetSerializer() {
      super((Class) Set.class);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void serialize(Set<?> value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      List<Object> sorted = new ArrayList<>(value);
      sorted.sort((a, b) -> ((Comparable) a).compareTo(b));
      gen.writeStartArray(value, sorted.size());
      for (Object element : sorted) {
        provider.defaultSerializeValue(element, gen);
      }
      gen.writeEndArray();
    }
  }

  /** Absent free-form JSON is {@link JsonTree#EMPTY}, written as null and so read back. */
  private static final class JsonTreeDeserializer extends StdDeserializer<JsonTree> {
    JsonTreeDeserializer() {
      super(JsonTree.class);
    }

    @Override
    public JsonTree deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return JsonTree.of(p.readValueAsTree());
    }

    @Override
    public JsonTree getNullValue(DeserializationContext ctxt) {
      return JsonTree.EMPTY;
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return JsonTree.EMPTY;
    }
  }
}
