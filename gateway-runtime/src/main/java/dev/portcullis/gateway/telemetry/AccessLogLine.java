package dev.portcullis.gateway.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.limits.Decision;
import dev.portcullis.gateway.provider.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One request as one line of JSON, written straight from the {@link RequestRecord} by a Jackson
 * {@link JsonGenerator} into a buffer that is reused line after line: no map, no intermediate
 * string of the line, field names pre-encoded, numbers, the timestamp and the cost formatted into a
 * reused {@code char[]}. Fields are always present (null when unknown) so that log pipelines see
 * one schema. Never a key or a credential: the record holds neither. Bodies only when the route
 * opts in ({@code logging.bodies: true}).
 *
 * <p>Not thread-safe: one per writer (the {@link AccessLog}'s writer thread owns one).
 */
final class AccessLogLine {
  private static final JsonFactory JSON =
      new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  private static final SerializableString TS = name("ts");
  private static final SerializableString REQUEST_ID = name("request_id");
  private static final SerializableString TRACE_ID = name("trace_id");
  private static final SerializableString CLIENT_FORMAT = name("client_format");
  private static final SerializableString OPERATION = name("operation");
  private static final SerializableString NAMESPACE = name("namespace");
  private static final SerializableString KEY = name("key");
  private static final SerializableString KEY_ID = name("key_id");
  private static final SerializableString ROUTE = name("route");
  private static final SerializableString REQUEST_MODEL = name("request_model");
  private static final SerializableString TARGET = name("target");
  private static final SerializableString PROVIDER = name("provider");
  private static final SerializableString RESPONSE_MODEL = name("response_model");
  private static final SerializableString TARGETS_TRIED = name("targets_tried");
  private static final SerializableString ATTEMPTS = name("attempts");
  private static final SerializableString RETRIES = name("retries");
  private static final SerializableString FALLBACKS = name("fallbacks");
  private static final SerializableString HEDGES = name("hedges");
  private static final SerializableString STATUS = name("status");
  private static final SerializableString ERROR_TYPE = name("error_type");
  private static final SerializableString LIMIT_REFUSAL = name("limit_refusal");
  private static final SerializableString LATENCY_MS = name("latency_ms");
  private static final SerializableString TTFT_MS = name("ttft_ms");
  private static final SerializableString STREAM = name("stream");
  private static final SerializableString INPUT_TOKENS = name("input_tokens");
  private static final SerializableString OUTPUT_TOKENS = name("output_tokens");
  private static final SerializableString CACHED_INPUT_TOKENS = name("cached_input_tokens");
  private static final SerializableString COST_USD = name("cost_usd");
  private static final SerializableString CACHE = name("cache");
  private static final SerializableString GUARDRAILS = name("guardrails");
  private static final SerializableString PROMPT_TEMPLATE = name("prompt_template");
  private static final SerializableString PROMPT_VERSION = name("prompt_version");
  private static final SerializableString REQUEST_BODY = name("request_body");
  private static final SerializableString RESPONSE_BODY = name("response_body");

  private static final String[] FORMATS = lowerCaseNames(WireFormat.values());
  private static final String[] REFUSALS = lowerCaseNames(Decision.Refusal.values());

  private final Buffer buffer = new Buffer(2048);
  private final char[] chars = new char[64];
  private final char[] second = new char[19];
  private long secondShown = Long.MIN_VALUE;
  private JsonGenerator json;

  AccessLogLine() {
    this.json = newGenerator();
  }

  /**
   * Writes the record's line (its JSON and a newline) to {@code out} in one {@code write}, so that
   * lines never interleave with other writers of the stream.
   */
  void writeTo(RequestRecord r, OutputStream out) throws IOException {
    buffer.reset();
    try {
      object(r);
      json.flush();
    } catch (IOException | RuntimeException e) {
      // A half-written object leaves the generator mid-line: start the next line afresh.
      json = newGenerator();
      throw e;
    }
    buffer.write('\n');
    out.write(buffer.bytes(), 0, buffer.size());
  }

  /** The line of one record (tests and benchmarks; the log itself never builds a string). */
  static String of(RequestRecord r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try {
      new AccessLogLine().writeTo(r, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String line = out.toString(StandardCharsets.UTF_8);
    return line.substring(0, line.length() - 1);
  }

  private void object(RequestRecord r) throws IOException {
    JsonGenerator g = json;
    g.writeStartObject();
    g.writeFieldName(TS);
    timestamp(r.startEpochMillis());
    string(REQUEST_ID, r.requestId());
    string(TRACE_ID, r.traceId());
    string(CLIENT_FORMAT, r.clientFormat() == null ? null : FORMATS[r.clientFormat().ordinal()]);
    string(OPERATION, r.operation() == null ? null : r.operation().value());
    KeyConfig key = r.key();
    string(NAMESPACE, key == null ? null : key.id().namespace());
    string(KEY, key == null ? null : key.id().name());
    string(KEY_ID, key == null ? null : key.keyId());
    RouteConfig route = r.route();
    g.writeFieldName(ROUTE);
    if (route == null) {
      g.writeNull();
    } else {
      qualifiedName(route.id().namespace(), route.id().name());
    }
    string(REQUEST_MODEL, r.requestModel());
    TargetConfig target = r.target();
    string(TARGET, target == null ? null : target.name());
    string(PROVIDER, target == null ? null : target.provider());
    string(RESPONSE_MODEL, r.responseModel());
    list(TARGETS_TRIED, r.targetsTried());
    number(ATTEMPTS, r.attempts());
    number(RETRIES, r.retries());
    number(FALLBACKS, r.fallbacks());
    number(HEDGES, r.hedges());
    number(STATUS, r.status());
    string(ERROR_TYPE, r.errorType());
    Decision.Refusal refusal = r.limitRefusal();
    string(
        LIMIT_REFUSAL,
        refusal == null || refusal == Decision.Refusal.NONE ? null : REFUSALS[refusal.ordinal()]);
    g.writeFieldName(LATENCY_MS);
    millis(r.durationNanos());
    g.writeFieldName(TTFT_MS);
    long ttft = r.timeToFirstTokenNanos();
    if (ttft < 0) {
      g.writeNull();
    } else {
      millis(ttft);
    }
    g.writeFieldName(STREAM);
    g.writeBoolean(r.streamed());
    number(INPUT_TOKENS, r.inputTokens());
    number(OUTPUT_TOKENS, r.outputTokens());
    number(CACHED_INPUT_TOKENS, r.cachedInputTokens());
    g.writeFieldName(COST_USD);
    usd(r.costNanos());
    string(CACHE, r.cacheStatus());
    list(GUARDRAILS, r.guardrailVerdicts());
    string(PROMPT_TEMPLATE, r.promptTemplate());
    string(PROMPT_VERSION, r.promptVersion());
    if (route != null && route.logBodies()) {
      string(REQUEST_BODY, r.requestBody());
      string(RESPONSE_BODY, r.responseBody());
    }
    g.writeEndObject();
  }

  private void string(SerializableString name, String value) throws IOException {
    json.writeFieldName(name);
    if (value == null) {
      json.writeNull();
    } else {
      json.writeString(value);
    }
  }

  private void number(SerializableString name, long value) throws IOException {
    json.writeFieldName(name);
    json.writeNumber(value);
  }

  private void list(SerializableString name, List<String> values) throws IOException {
    json.writeFieldName(name);
    json.writeStartArray();
    for (int i = 0; i < values.size(); i++) {
      json.writeString(values.get(i));
    }
    json.writeEndArray();
  }

  private void qualifiedName(String namespace, String name) throws IOException {
    int length = namespace.length() + 1 + name.length();
    char[] out = length <= chars.length ? chars : new char[length];
    namespace.getChars(0, namespace.length(), out, 0);
    out[namespace.length()] = '/';
    name.getChars(0, name.length(), out, namespace.length() + 1);
    json.writeString(out, 0, length);
  }

  /** Instant's ISO-8601 form ({@code 2026-12-06T04:00:00.123Z}, no fraction on a whole second). */
  private void timestamp(long epochMillis) throws IOException {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    int millis = (int) Math.floorMod(epochMillis, 1000);
    if (epochSecond != secondShown) {
      LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
      if (t.getYear() < 0 || t.getYear() > 9999) {
        json.writeString(java.time.Instant.ofEpochMilli(epochMillis).toString());
        return;
      }
      digits(second, 0, t.getYear(), 4);
      second[4] = '-';
      digits(second, 5, t.getMonthValue(), 2);
      second[7] = '-';
      digits(second, 8, t.getDayOfMonth(), 2);
      second[10] = 'T';
      digits(second, 11, t.getHour(), 2);
      second[13] = ':';
      digits(second, 14, t.getMinute(), 2);
      second[16] = ':';
      digits(second, 17, t.getSecond(), 2);
      secondShown = epochSecond;
    }
    System.arraycopy(second, 0, chars, 0, 19);
    int n = 19;
    if (millis != 0) {
      chars[n++] = '.';
      digits(chars, n, millis, 3);
      n += 3;
    }
    chars[n++] = 'Z';
    json.writeString(chars, 0, n);
  }

  /** Milliseconds with three decimals: microsecond resolution is plenty for a log line. */
  private void millis(long nanos) throws IOException {
    long micros = nanos / 1000;
    int n = integer(chars, 0, micros / 1000);
    chars[n++] = '.';
    digits(chars, n, (int) (micros % 1000), 3);
    json.writeRawValue(chars, 0, n + 3);
  }

  /** USD as a decimal string without trailing zeros ({@code "0.00125"}, {@code "0"}). */
  private void usd(long nanos) throws IOException {
    boolean negative = nanos < 0;
    long abs = Math.abs(nanos);
    int n = 0;
    if (negative) {
      chars[n++] = '-';
    }
    n = integer(chars, n, abs / 1_000_000_000L);
    long fraction = abs % 1_000_000_000L;
    if (fraction != 0) {
      chars[n++] = '.';
      digits(chars, n, (int) fraction, 9);
      n += 9;
      while (chars[n - 1] == '0') {
        n--;
      }
    }
    json.writeString(chars, 0, n);
  }

  /** Writes a non-negative number's decimal digits at {@code at}; returns the position after. */
  private static int integer(char[] out, int at, long value) {
    if (value == 0) {
      out[at] = '0';
      return at + 1;
    }
    int digits = 0;
    for (long v = value; v > 0; v /= 10) {
      digits++;
    }
    long v = value;
    for (int i = at + digits - 1; i >= at; i--) {
      out[i] = (char) ('0' + v % 10);
      v /= 10;
    }
    return at + digits;
  }

  /** Writes {@code value} as exactly {@code width} digits, zero-padded. */
  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private JsonGenerator newGenerator() {
    try {
      JsonGenerator g = JSON.createGenerator(buffer);
      g.setCharacterEscapes(LineSeparatorEscapes.INSTANCE);
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SerializableString name(String name) {
    return new SerializedString(name);
  }

  private static String[] lowerCaseNames(Enum<?>[] values) {
    String[] names = new String[values.length];
    for (Enum<?> v : values) {
      names[v.ordinal()] = v.name().toLowerCase(Locale.ROOT);
    }
    return names;
  }

  /**
   * JSON's escapes, plus U+2028 and U+2029: valid in JSON strings, but line terminators to some log
   * tools, and a line must stay one line.
   */
  private static final class LineSeparatorEscapes extends CharacterEscapes {
    static final LineSeparatorEscapes INSTANCE = new LineSeparatorEscapes();
    private static final SerializableString LS = new SerializedString("\\u2028");
    private static final SerializableString PS = new SerializedString("\\u2029");
    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case 0x2028 -> LS;
        case 0x2029 -> PS;
        default -> null;
      };
    }
  }

  /** A byte buffer written and emptied line after line. */
  private static final class Buffer extends OutputStream {
    private byte[] bytes;
    private int size;

    Buffer(int capacity) {
      this.bytes = new byte[capacity];
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    byte[] bytes() {
      return bytes;
    }

    int size() {
      return size;
    }

    /** Empties the buffer; one grown past 256 KiB by a logged body is let go. */
    void reset() {
      size = 0;
      if (bytes.length > 256 * 1024) {
        bytes = new byte[2048];
      }
    }
  }
}
