package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code pii} check: the entities the policy lists (absent: all), each found by its {@link
 * PiiFinder}, each redacted with its own placeholder type ({@code EMAIL}, {@code PHONE}, ...).
 */
final class CompiledPiiCheck implements SpanCheck {
  /** The CRD's entity names and their finders. */
  private static final Map<String, PiiFinder> FINDERS =
      Map.of(
          "Email", new EmailFinder(),
          "Phone", new PhoneFinder(),
          "CreditCard", new CardNumberFinder(),
          "SSN", new SsnFinder(),
          "IBAN", new IbanFinder(),
          "IPAddress", new IpAddressFinder(),
          "Secret", new SecretFinder());

  /**
   * The order finders run in, most specific first: a later finder's match that overlaps an earlier
   * one's is dropped (123-45-6789 is an SSN, not also a phone number).
   */
  private static final List<String> ORDER =
      List.of("Secret", "Email", "CreditCard", "IBAN", "SSN", "IPAddress", "Phone");

  private final List<PiiFinder> finders;

  private CompiledPiiCheck(List<PiiFinder> finders) {
    this.finders = List.copyOf(finders);
  }

  static CompiledPiiCheck compile(JsonNode settings, CheckTypeRegistry.CompileContext context) {
    JsonNode entities = settings.path("entities");
    List<String> wanted = new ArrayList<>();
    if (entities.isArray() && !entities.isEmpty()) {
      for (JsonNode e : entities) {
        if (!FINDERS.containsKey(e.asText())) {
          throw new GuardrailCompileException(
              "pii.entities: " + e.asText() + " is not one of " + ORDER);
        }
        wanted.add(e.asText());
      }
    } else {
      wanted.addAll(ORDER);
    }
    List<PiiFinder> finders = new ArrayList<>();
    for (String name : ORDER) {
      if (wanted.contains(name)) {
        finders.add(FINDERS.get(name));
      }
    }
    return new CompiledPiiCheck(finders);
  }

  @Override
  public void findSpans(CharSequence text, List<Span> found) {
    int before = found.size();
    for (PiiFinder finder : finders) {
      int earlier = found.size();
      finder.find(text, found);
      for (int i = found.size() - 1; i >= earlier; i--) {
        Span s = found.get(i);
        for (int k = before; k < earlier; k++) {
          Span e = found.get(k);
          if (s.start() < e.end() && e.start() < s.end()) {
            found.remove(i);
            break;
          }
        }
      }
    }
  }

  @Override
  public int holdFrom(CharSequence text) {
    int hold = text.length();
    for (PiiFinder finder : finders) {
      hold = Math.min(hold, finder.holdFrom(text));
    }
    return hold;
  }
}
