package dev.portcullis.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes/Go-style durations as used throughout the API: a sequence of decimal numbers with
 * units {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}, e.g. {@code 200ms},
 * {@code 30s}, {@code 1h30m}, {@code 1.5s}.
 */
public final class Durations {
  /** The pattern CRDs use for duration fields. */
  public static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException with a message naming the accepted form
   */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text.strip()).matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a duration: use a number with a unit (ns, us, ms, s, m, h), e.g. 500ms,"
              + " 30s, 1h30m");
    }
    Matcher m = PART.matcher(text.strip());
    double nanos = 0;
    while (m.find()) {
      double value = Double.parseDouble(m.group(1));
      nanos +=
          value
              * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
              };
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** Formats a duration in the same style ({@code 1h30m}, {@code 250ms}). */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long h = d.toHours();
    int m = d.toMinutesPart();
    int s = d.toSecondsPart();
    int ms = d.toMillisPart();
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (m > 0) {
      sb.append(m).append('m');
    }
    if (s > 0) {
      sb.append(s).append('s');
    }
    if (ms > 0) {
      sb.append(ms).append("ms");
    }
    return sb.length() == 0 ? d.toNanos() + "ns" : sb.toString();
  }
}
