package dev.portcullis.gateway.fake;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * How the fake upstream should answer one request: timings, size, text and faults.
 *
 * <p>Every field is optional ({@code null} = not set) so that behaviours can be layered: the server
 * default, then options in the model name, then the {@code x-fake-behaviour} header, then single
 * {@code x-fake-<option>} headers; a later layer overrides only the fields it sets (see {@link
 * #overriddenBy}). The text form is {@code key=value;key=value}, documented in this package's
 * README.
 *
 * @param latency delay before the response headers are sent
 * @param ttft delay between the response headers and the first streamed event
 * @param tokensPerSecond stream pacing; {@code null} or 0 means as fast as possible
 * @param tokens how many output tokens (stream chunks) to produce
 * @param text the reply text (split into tokens at word boundaries)
 * @param echo reply with the text of the last user message
 * @param status answer with this HTTP status and the protocol's error body
 * @param retryAfter the {@code retry-after} to send with a 429 or 503
 * @param reset drop the connection before the response or during it
 * @param resetAfter with {@code reset=during}: tokens sent before the connection is dropped
 * @param failTimes apply the fault ({@code status} / {@code reset}) only to the first N requests of
 *     the scenario, then answer normally
 * @param scenario groups requests for {@code failTimes}
 */
public record Behaviour(
    Duration latency,
    Duration ttft,
    Double tokensPerSecond,
    Integer tokens,
    String text,
    Boolean echo,
    Integer status,
    Duration retryAfter,
    Reset reset,
    Integer resetAfter,
    Integer failTimes,
    String scenario) {

  /** When a {@code reset} fault drops the connection. */
  public enum Reset {
    /** Close the connection without sending any response. */
    BEFORE,
    /** Send the headers and part of the body, then close the connection. */
    DURING
  }

  /** The option names in the text form, in the order {@link #toSpec()} writes them. */
  static final String LATENCY = "latency";

  static final String TTFT = "ttft";
  static final String TOKENS_PER_SECOND = "tokens-per-second";
  static final String TOKENS = "tokens";
  static final String TEXT = "text";
  static final String ECHO = "echo";
  static final String STATUS = "status";
  static final String RETRY_AFTER = "retry-after";
  static final String RESET = "reset";
  static final String RESET_AFTER = "reset-after";
  static final String FAIL_TIMES = "fail-times";
  static final String SCENARIO = "scenario";

  /** Header carrying a whole behaviour in text form. */
  public static final String BEHAVIOUR_HEADER = "x-fake-behaviour";

  /** Prefix of the per-option headers, e.g. {@code x-fake-latency: 200ms}. */
  public static final String HEADER_PREFIX = "x-fake-";

  private static final String[] OPTION_NAMES = {
    LATENCY,
    TTFT,
    TOKENS_PER_SECOND,
    TOKENS,
    TEXT,
    ECHO,
    STATUS,
    RETRY_AFTER,
    RESET,
    RESET_AFTER,
    FAIL_TIMES,
    SCENARIO
  };

  private static final Behaviour NONE =
      new Behaviour(null, null, null, null, null, null, null, null, null, null, null, null);

  /** A behaviour that sets nothing: a healthy, fast upstream. */
  public static Behaviour none() {
    return NONE;
  }

  /**
   * Parses the text form, e.g. {@code latency=200ms;status=503}. Blank input gives {@link #none()}.
   *
   * @throws IllegalArgumentException naming the option that is unknown or malformed
   */
  public static Behaviour parse(String spec) {
    Behaviour result = NONE;
    if (spec == null || spec.isBlank()) {
      return result;
    }
    for (String part : spec.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "fake behaviour option '" + part.strip() + "' has no value; write key=value");
      }
      result = result.with(part.substring(0, eq), part.substring(eq + 1));
    }
    return result;
  }

  /**
   * Reads {@code x-fake-behaviour} and the single {@code x-fake-<option>} headers (which win over
   * the former).
   *
   * @param header returns a header's value by lower-case name, or {@code null}
   */
  static Behaviour fromHeaders(Function<String, String> header) {
    Behaviour result = parse(header.apply(BEHAVIOUR_HEADER));
    for (String option : OPTION_NAMES) {
      String value = header.apply(HEADER_PREFIX + option);
      if (value != null) {
        result = result.with(option, value);
      }
    }
    return result;
  }

  /**
   * Returns a copy with one option set from its text form.
   *
   * @throws IllegalArgumentException if the option is unknown or the value malformed
   */
  public Behaviour with(String option, String value) {
    String key = option.strip().toLowerCase(Locale.ROOT);
    String v = value.strip();
    Draft d = new Draft(this);
    try {
      switch (key) {
        case LATENCY -> d.latency = duration(v, false);
        case TTFT -> d.ttft = duration(v, false);
        case TOKENS_PER_SECOND, "tps" -> d.tokensPerSecond = nonNegative(Double.parseDouble(v));
        case TOKENS -> d.tokens = nonNegative(Integer.parseInt(v));
        case TEXT -> d.text = value;
        case ECHO -> d.echo = bool(v);
        case STATUS -> d.status = httpStatus(Integer.parseInt(v));
        case RETRY_AFTER -> d.retryAfter = duration(v, true);
        case RESET -> d.reset = Reset.valueOf(v.toUpperCase(Locale.ROOT));
        case RESET_AFTER -> d.resetAfter = nonNegative(Integer.parseInt(v));
        case FAIL_TIMES -> d.failTimes = nonNegative(Integer.parseInt(v));
        case SCENARIO -> d.scenario = v;
        default ->
            throw new UnknownOptionException(
                "unknown fake behaviour option '"
                    + option.strip()
                    + "'; known: "
                    + String.join(", ", OPTION_NAMES));
      }
    } catch (UnknownOptionException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "fake behaviour option '" + key + "' has an invalid value '" + v + "'", e);
    }
    return d.build();
  }

  private static final class UnknownOptionException extends IllegalArgumentException {
    UnknownOptionException(String message) {
      super(message);
    }
  }

  /** Mutable copy used while one option is changed; keeps {@link #with} readable. */
  private static final class Draft {
    Duration latency;
    Duration ttft;
    Double tokensPerSecond;
    Integer tokens;
    String text;
    Boolean echo;
    Integer status;
    Duration retryAfter;
    Reset reset;
    Integer resetAfter;
    Integer failTimes;
    String scenario;

    Draft(Behaviour b) {
      latency = b.latency;
      ttft = b.ttft;
      tokensPerSecond = b.tokensPerSecond;
      tokens = b.tokens;
      text = b.text;
      echo = b.echo;
      status = b.status;
      retryAfter = b.retryAfter;
      reset = b.reset;
      resetAfter = b.resetAfter;
      failTimes = b.failTimes;
      scenario = b.scenario;
    }

    Behaviour build() {
      return new Behaviour(
          latency,
          ttft,
          tokensPerSecond,
          tokens,
          text,
          echo,
          status,
          retryAfter,
          reset,
          resetAfter,
          failTimes,
          scenario);
    }
  }

  /** The fields {@code other} sets replace the ones here; the rest stay. */
  public Behaviour overriddenBy(Behaviour other) {
    if (other == NONE) {
      return this;
    }
    if (this == NONE) {
      return other;
    }
    return new Behaviour(
        pick(other.latency, latency),
        pick(other.ttft, ttft),
        pick(other.tokensPerSecond, tokensPerSecond),
        pick(other.tokens, tokens),
        pick(other.text, text),
        pick(other.echo, echo),
        pick(other.status, status),
        pick(other.retryAfter, retryAfter),
        pick(other.reset, reset),
        pick(other.resetAfter, resetAfter),
        pick(other.failTimes, failTimes),
        pick(other.scenario, scenario));
  }

  /** True if this behaviour asks for a failure (an error status or a dropped connection). */
  boolean hasFault() {
    return status != null || reset != null;
  }

  /** The text form, which {@link #parse} reads back (durations at millisecond precision). */
  public String toSpec() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put(LATENCY, latency == null ? null : latency.toMillis() + "ms");
    values.put(TTFT, ttft == null ? null : ttft.toMillis() + "ms");
    values.put(TOKENS_PER_SECOND, tokensPerSecond);
    values.put(TOKENS, tokens);
    values.put(TEXT, text);
    values.put(ECHO, echo);
    values.put(STATUS, status);
    values.put(RETRY_AFTER, retryAfter == null ? null : retryAfter.toMillis() + "ms");
    values.put(RESET, reset == null ? null : reset.name().toLowerCase(Locale.ROOT));
    values.put(RESET_AFTER, resetAfter);
    values.put(FAIL_TIMES, failTimes);
    values.put(SCENARIO, scenario);
    StringJoiner spec = new StringJoiner(";");
    values.forEach(
        (k, v) -> {
          if (v != null) {
            spec.add(k + "=" + v);
          }
        });
    return spec.toString();
  }

  @Override
  public String toString() {
    return "Behaviour[" + toSpec() + "]";
  }

  private static <T> T pick(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }

  /**
   * Reads {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}. A bare number is milliseconds,
   * except for retry-after where it is seconds as in the HTTP header.
   */
  static Duration duration(String text, boolean bareIsSeconds) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    double factorMillis;
    String number;
    if (t.endsWith("ms")) {
      factorMillis = 1;
      number = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      factorMillis = 1000;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      factorMillis = 60_000;
      number = t.substring(0, t.length() - 1);
    } else {
      factorMillis = bareIsSeconds ? 1000 : 1;
      number = t;
    }
    double millis = nonNegative(Double.parseDouble(number)) * factorMillis;
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  private static boolean bool(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + v);
    };
  }

  private static int httpStatus(int status) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    return status;
  }

  private static int nonNegative(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative: " + n);
    }
    return n;
  }

  private static double nonNegative(double n) {
    if (n < 0 || Double.isNaN(n)) {
      throw new IllegalArgumentException("negative: " + n);
    }
    return n;
  }
}
