package dev.portcullis.api.template;

import java.util.Set;

/**
 * One tag of a template that reads a value: a variable, a section or an inverted section.
 *
 * @param kind which of the three
 * @param name the name as written between the braces, e.g. {@code question}, {@code user.name} or
 *     {@code .}
 */
public record TemplateTag(Kind kind, String name) {
  /**
   * Names that stand for the value a section is iterating over (and jmustache's position flags in
   * it), not for a variable of the template.
   */
  private static final Set<String> CONTEXT_NAMES = Set.of(".", "this", "-first", "-last", "-index");

  /** The three kinds of tag that read a value. */
  public enum Kind {
    VARIABLE("{{", "}}"),
    SECTION("{{#", "}}"),
    INVERTED_SECTION("{{^", "}}");

    private final String open;
    private final String close;

    Kind(String open, String close) {
      this.open = open;
      this.close = close;
    }
  }

  /**
   * The template variable this tag reads: the name up to the first dot ({@code user} for {@code
   * user.name}), or null for {@code .} and the other names of the current section value.
   */
  public String variable() {
    if (CONTEXT_NAMES.contains(name)) {
      return null;
    }
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /** The tag as a person would write it, e.g. {@code {{#premium}}}, for messages. */
  public String written() {
    return kind.open + name + kind.close;
  }
}
