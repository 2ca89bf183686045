package dev.portcullis.api.template;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one Mustache compiler of Portcullis: the validator checks a {@code PromptTemplate}'s messages
 * with it and the gateway renders them with it, so both agree on what a template is.
 *
 * <p>The syntax is Mustache as jmustache reads it: {@code {{name}}} (also {@code {{{name}}}} and
 * {@code {{&name}}}, which mean the same here), sections {@code {{#name}}…{{/name}}}, inverted
 * sections {@code {{^name}}…{{/name}}}, comments {@code {{! …}}} and delimiter changes. A section
 * left open, closed twice or closed with another name is a syntax error. Partials ({@code {{>
 * name}}}), parents ({@code {{<name}}}) and blocks ({@code {{$name}}}) are refused: a message is
 * one template, with nothing to load.
 *
 * <p>Rendering, configured here once:
 *
 * <ul>
 *   <li>no HTML escaping: the output is a prompt, not a web page, so {@code <} and {@code &} stay
 *       as written;
 *   <li>a variable without a value renders as nothing, and a section over it is skipped (an
 *       inverted section shown), so an optional variable may be left out;
 *   <li>an empty string is false, like an absent value, so {@code {{#tone}}…{{/tone}}} is skipped
 *       when {@code tone} is {@code ""}.
 * </ul>
 */
public final class TemplateSyntax {
  private static final Mustache.Compiler COMPILER =
      Mustache.compiler().escapeHTML(false).defaultValue("").emptyStringIsFalse(true);

  private TemplateSyntax() {}

  /**
   * Compiles one message's content.
   *
   * @throws TemplateSyntaxException if it is not a template this compiler reads; the message is
   *     jmustache's (e.g. {@code Section missing close tag 'x' @ line 1}) or names the refused tag
   */
  public static CompiledTemplate compile(String content) {
    Objects.requireNonNull(content, "content");
    Template template;
    try {
      template = COMPILER.compile(content);
    } catch (MustacheException e) {
      throw new TemplateSyntaxException(e.getMessage(), e);
    } catch (RuntimeException e) {
      // jmustache 1.16 fails on an empty tag ({{}}) with an index error rather than a parse error.
      throw new TemplateSyntaxException("a tag is empty or cannot be read, such as {{}}", e);
    }
    TagCollector collector = new TagCollector();
    template.visit(collector);
    if (collector.refused != null) {
      throw new TemplateSyntaxException(
          collector.refused
              + " is not supported: a message is one template, without partials, parents or"
              + " blocks");
    }
    return new CompiledTemplate(template, collector.tags);
  }

  /** Lists the tags in the order written, descending into every section. */
  private static final class TagCollector implements Mustache.Visitor {
    final List<TemplateTag> tags = new ArrayList<>();
    String refused;

    @Override
    public void visitText(String text) {}

    @Override
    public void visitVariable(String name) {
      tags.add(new TemplateTag(TemplateTag.Kind.VARIABLE, name));
    }

    @Override
    public boolean visitSection(String name) {
      tags.add(new TemplateTag(TemplateTag.Kind.SECTION, name));
      return true;
    }

    @Override
    public boolean visitInvertedSection(String name) {
      tags.add(new TemplateTag(TemplateTag.Kind.INVERTED_SECTION, name));
      return true;
    }

    @Override
    public boolean visitInclude(String name) {
      refuse("{{>" + name + "}}");
      return false;
    }

    @Override
    public boolean visitParent(String name) {
      refuse("{{<" + name + "}}");
      return false;
    }

    @Override
    public boolean visitBlock(String name) {
      refuse("{{$" + name + "}}");
      return false;
    }

    private void refuse(String tag) {
      if (refused == null) {
        refused = tag;
      }
    }
  }
}
