package dev.portcullis.api.template;

import com.samskivert.mustache.Template;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;

/**
 * One message's content, compiled by {@link TemplateSyntax}: the tags it uses and how to render it.
 * Immutable; it may render from several threads at once, as jmustache documents for its compiled
 * templates.
 */
public final class CompiledTemplate {
  private final Template template;
  private final List<TemplateTag> tags;
  private final SequencedSet<String> variables;

  CompiledTemplate(Template template, List<TemplateTag> tags) {
    this.template = template;
    this.tags = List.copyOf(tags);
    SequencedSet<String> names = new LinkedHashSet<>();
    for (TemplateTag tag : this.tags) {
      if (tag.variable() != null) {
        names.add(tag.variable());
      }
    }
    this.variables = Collections.unmodifiableSequencedSet(names);
  }

  /** Every tag that reads a value, in the order written, those inside sections included. */
  public List<TemplateTag> tags() {
    return tags;
  }

  /**
   * The names of the variables the template reads (by variables, sections and inverted sections),
   * each once, in the order of first use. A name inside a section counts too: when the section's
   * value has no such field, Mustache looks it up among the template's variables.
   */
  public SequencedSet<String> variables() {
    return variables;
  }

  /**
   * Renders the template with {@code values} (variable name to a string, number, boolean, list or
   * map). A variable without a value renders as nothing.
   */
  public String render(Map<String, ?> values) {
    return template.execute(Objects.requireNonNull(values, "values"));
  }
}
