package dev.portcullis.gateway.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The samples of a Prometheus text exposition, to assert on by name and labels. */
public record PrometheusSamples(List<Sample> samples) {
  /** One line: {@code name{labels} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  public static PrometheusSamples parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        String body = line.substring(brace + 1, line.lastIndexOf('}'));
        int i = 0;
        while (i < body.length()) {
          int eq = body.indexOf('=', i);
          String label = body.substring(i, eq).trim();
          StringBuilder value = new StringBuilder();
          int j = eq + 2;
          while (body.charAt(j) != '"') {
            if (body.charAt(j) == '\\') {
              j++;
            }
            value.append(body.charAt(j));
            j++;
          }
          labels.put(label, value.toString());
          i = j + 1;
          if (i < body.length() && body.charAt(i) == ',') {
            i++;
          }
        }
      } else {
        name = line.substring(0, space);
      }
      out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
    }
    return new PrometheusSamples(out);
  }

  /** Samples of {@code name} whose labels include every given pair (name, value, name, …). */
  public List<Sample> find(String name, String... labelPairs) {
    List<Sample> found = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.name.equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(s.labels.get(labelPairs[i]))) {
          all = false;
          break;
        }
      }
      if (all) {
        found.add(s);
      }
    }
    return found;
  }

  /** The one sample of {@code name} with these labels; fails when there is not exactly one. */
  public double value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one sample " + name + " " + List.of(labelPairs) + ", found " + found);
    }
    return found.getFirst().value();
  }

  /** Whether any sample of {@code name} has a label with this value. */
  public boolean anyWithLabel(String name, String label, String value) {
    return samples.stream()
        .anyMatch(s -> s.name.startsWith(name) && value.equals(s.labels.get(label)));
  }

  public int size() {
    return samples.size();
  }
}
