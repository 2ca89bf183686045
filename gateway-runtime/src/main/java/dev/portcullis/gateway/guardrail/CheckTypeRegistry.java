package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The check types this gateway enforces, one line each: the CRD's name of the type and how its
 * settings compile into a {@link ContentCheck}. Adding a type is one class and one line here.
 */
public final class CheckTypeRegistry {

  /** Compiles one check's settings (the type's object as written in the CRD). */
  @FunctionalInterface
  interface CheckCompiler {
    ContentCheck compile(JsonNode settings, CompileContext context);
  }

  /** What compiling may need from the gateway. */
  record CompileContext(TokenCounter tokens) {}

  private static final Map<String, CheckCompiler> TYPES =
      Map.of(
          "regex", CompiledRegexCheck::compile,
          "pii", CompiledPiiCheck::compile,
          "denyList", CompiledDenyListCheck::compile,
          "length", CompiledLengthCheck::compile,
          "jsonSchema", CompiledJsonSchemaCheck::compile,
          "promptInjection", CompiledPromptInjectionCheck::compile,
          "webhook", CompiledWebhookCheck::compile);

  private CheckTypeRegistry() {}

  /** The type names, for the capabilities a gateway announces. */
  public static Set<String> types() {
    return new TreeSet<>(TYPES.keySet());
  }

  static ContentCheck compile(String type, JsonNode settings, CompileContext context) {
    CheckCompiler compiler = TYPES.get(type);
    if (compiler == null) {
      throw new GuardrailCompileException(
          "check type " + type + " is not supported by this gateway; it knows " + types());
    }
    return compiler.compile(settings, context);
  }
}
