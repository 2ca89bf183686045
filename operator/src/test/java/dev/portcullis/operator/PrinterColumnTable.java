package dev.portcullis.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code kubectl get <kind> -A [-o wide]} prints for a Portcullis kind on a real cluster.
 * There the API server turns objects into a table from the CRD's {@code additionalPrinterColumns};
 * this does the same from the generated CRD: NAMESPACE and NAME, then the columns in the CRD's
 * order ({@code priority > 0} only when wide); each cell is the <em>first</em> value the column's
 * path selects, as the server's table convertor takes it; strings as text, integers as numbers,
 * dates as ages; a path that selects nothing gives an empty cell. kubectl lays the table out with a
 * tab writer: columns at least 6 wide, 3 spaces of padding.
 */
final class PrinterColumnTable {
  private static final Configuration PATHS =
      Configuration.defaultConfiguration()
          .addOptions(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS);

  record Column(String name, String jsonPath, String type, int priority) {}

  /** One object's cells, by column header. */
  record Row(String namespace, String name, List<String> headers, List<String> cells) {
    String cell(String header) {
      int i = headers.indexOf(header);
      if (i < 0) {
        throw new IllegalArgumentException("no column " + header + " in " + headers);
      }
      return cells.get(i);
    }
  }

  record Table(List<String> headers, List<Row> rows) {
    Row row(String namespace, String name) {
      return rows.stream()
          .filter(r -> r.namespace().equals(namespace) && r.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no row " + namespace + "/" + name));
    }

    /** The table as kubectl prints it. */
    String render() {
      List<List<String>> lines = new ArrayList<>();
      lines.add(headers);
      rows.forEach(r -> lines.add(r.cells()));
      return layOut(lines);
    }
  }

  /** Lines of cells laid out as kubectl's tab writer does. */
  static String layOut(List<List<String>> lines) {
    int[] widths = new int[lines.getFirst().size()];
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], Math.max(6, line.get(i).length() + 3));
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        String cell = line.get(i);
        out.append(i == line.size() - 1 ? cell : cell + " ".repeat(widths[i] - cell.length()));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private final List<Column> columns;

  private PrinterColumnTable(List<Column> columns) {
    this.columns = columns;
  }

  /** The printer columns of the generated CRD for {@code plural} (e.g. {@code llmroutes}). */
  static PrinterColumnTable of(String plural) {
    try (InputStream in = TestCluster.crd(plural)) {
      JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(in);
      List<Column> columns = new ArrayList<>();
      for (JsonNode c : crd.path("spec").path("versions").get(0).path("additionalPrinterColumns")) {
        columns.add(
            new Column(
                c.path("name").asText(),
                c.path("jsonPath").asText(),
                c.path("type").asText(),
                c.path("priority").asInt()));
      }
      return new PrinterColumnTable(List.copyOf(columns));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Column> columns() {
    return columns;
  }

  /** {@code kubectl get <plural> -A}, or with {@code -o wide}. */
  <T extends HasMetadata> Table get(
      KubernetesClient client, Class<T> type, boolean wide, Instant now) {
    List<Column> shown = columns.stream().filter(c -> wide || c.priority() == 0).toList();
    List<String> headers = new ArrayList<>(List.of("NAMESPACE", "NAME"));
    shown.forEach(c -> headers.add(c.name().toUpperCase(Locale.ROOT)));
    List<Row> rows = new ArrayList<>();
    List<T> items =
        client.resources(type).inAnyNamespace().list().getItems().stream()
            .sorted(
                Comparator.comparing((T r) -> r.getMetadata().getNamespace())
                    .thenComparing(r -> r.getMetadata().getName()))
            .toList();
    for (T item : items) {
      Object json = PATHS.jsonProvider().parse(client.getKubernetesSerialization().asJson(item));
      List<String> cells =
          new ArrayList<>(List.of(item.getMetadata().getNamespace(), item.getMetadata().getName()));
      shown.forEach(c -> cells.add(cell(c, json, now)));
      rows.add(
          new Row(
              item.getMetadata().getNamespace(),
              item.getMetadata().getName(),
              List.copyOf(headers),
              List.copyOf(cells)));
    }
    return new Table(List.copyOf(headers), List.copyOf(rows));
  }

  private static String cell(Column column, Object json, Instant now) {
    Optional<Object> first = first(column.jsonPath(), json);
    if (first.isEmpty()) {
      return "";
    }
    Object value = first.get();
    return switch (column.type()) {
      case "integer" -> value instanceof Number n ? Long.toString(n.longValue()) : "";
      case "date" -> age(Duration.between(Instant.parse(value.toString()), now));
      default -> value.toString();
    };
  }

  private static Optional<Object> first(String jsonPath, Object json) {
    List<?> results = JsonPath.using(PATHS).parse(json).read("$" + jsonPath);
    return results == null || results.isEmpty() || results.getFirst() == null
        ? Optional.empty()
        : Optional.of(results.getFirst());
  }

  /** kubectl's human-readable age (the short forms up to days). */
  static String age(Duration age) {
    long seconds = Math.max(0, age.toSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + (seconds % 60) + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      return minutes % 60 == 0 ? hours + "h" : hours + "h" + (minutes % 60) + "m";
    }
    return hours < 48 ? hours + "h" : (hours / 24) + "d";
  }
}
