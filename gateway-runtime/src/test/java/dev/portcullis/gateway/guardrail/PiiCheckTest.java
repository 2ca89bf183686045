package dev.portcullis.gateway.guardrail;

import static dev.portcullis.gateway.guardrail.GuardrailFixtures.compile;
import static dev.portcullis.gateway.guardrail.GuardrailFixtures.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PiiCheckTest {
  private static final SpanCheck ALL = compile("pii", "{}");

  private static SpanCheck only(String entity) {
    return compile("pii", "{'entities':['" + entity + "']}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane.doe@example.com",
        "JOHN+tag@mail.example.co.uk",
        "first_last-99@sub.domain.io",
      })
  void findsEmailAddresses(String email) {
    assertThat(matches(only("Email"), "Write to " + email + ". Thanks"))
        .containsExactly("EMAIL:" + email);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "follow @portcullis on social",
        "user@localhost is a local account",
        "a@b.c",
        "ping foo@bar now",
        "price is 5 @ 3.50 each"
      })
  void leavesTextThatOnlyLooksLikeEmail(String text) {
    assertThat(matches(only("Email"), text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+1 650-253-0000",
        "(650) 253-0000",
        "+44 20 7946 0958",
        "+49 30 901820",
        "+33 1 42 68 53 00",
        "030 901820",
      })
  void findsPhoneNumbersOfSeveralRegions(String phone) {
    assertThat(matches(only("Phone"), "Call me at " + phone + " tomorrow"))
        .containsExactly("PHONE:" + phone);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "order 6502530000 shipped",
        "invoice #1234567 is due",
        "on 2024-01-15 we met",
        "on 15/01/2024 we met",
        "pi is 3.14159265",
        "the total was 1,234,567.89",
        "server 10.0.0.1 answered"
      })
  void leavesNumbersThatAreNotPhoneNumbers(String text) {
    assertThat(matches(only("Phone"), text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "5555555555554444",
        "378282246310005",
        "6011 1111 1111 1117",
      })
  void findsCardNumbersThatPassLuhn(String card) {
    assertThat(matches(only("CreditCard"), "Card: " + card + ", exp 12/29"))
        .containsExactly("CREDIT_CARD:" + card);
  }

  @Test
  void findsACardNumberFollowedByAnotherNumber() {
    assertThat(matches(only("CreditCard"), "pay with 4111 1111 1111 1111 2 times"))
        .containsExactly("CREDIT_CARD:4111 1111 1111 1111");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "order number 1234567890123456",
        "order number 4111111111111112",
        "timestamp 1700000000000",
        "tracking 40000000000000001234",
        "ref 4111111111111111-2",
        "v4111111111111111"
      })
  void leavesOrderNumbersAndIdsThatAreNotCards(String text) {
    assertThat(matches(only("CreditCard"), text)).isEmpty();
  }

  @Test
  void findsSocialSecurityNumbers() {
    assertThat(matches(only("SSN"), "SSN 123-45-6789.")).containsExactly("SSN:123-45-6789");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "000-12-3456",
        "666-12-3456",
        "912-34-5678",
        "123-00-4567",
        "123-45-0000",
        "555-123-4567",
        "123456789",
        "2024-01-15",
        "12-345-6789"
      })
  void leavesNumbersThatAreNotIssuedSsns(String text) {
    assertThat(matches(only("SSN"), "id " + text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DE89 3704 0044 0532 0130 00",
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606"
      })
  void findsIbansWithValidChecksum(String iban) {
    assertThat(matches(only("IBAN"), "IBAN: " + iban + ".")).containsExactly("IBAN:" + iban);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"DE89 3704 0044 0532 0130 01", "XX89370400440532013000", "GB82WEST1234569876543"})
  void leavesIbansWithWrongChecksumCountryOrLength(String text) {
    assertThat(matches(only("IBAN"), "IBAN: " + text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "192.168.1.254",
        "2001:db8::8a2e:370:7334",
        "fe80::1ff:fe23:4567:890a"
      })
  void findsIpAddresses(String ip) {
    assertThat(matches(only("IPAddress"), "host " + ip + " is down"))
        .containsExactly("IP_ADDRESS:" + ip);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "version 1.2.3.4",
        "upgrade to v1.2.3",
        "release 2.14.1",
        "Java 21.0.2",
        "1.2.3.4.5",
        "999.1.1.1",
        "01.02.03.04",
        "std::vector",
        "at 12:30:45 sharp",
        "MAC 00:1A:2B:3C:4D:5E"
      })
  void leavesVersionsTimesAndOtherDottedNumbers(String text) {
    assertThat(matches(only("IPAddress"), text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh",
        "sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh",
        "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c",
        "xoxb-1234567890-Ab3dEf6hIj9kLm2n",
        "AIzaSyAb3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zA",
        "AKIAIOSFODNN7EXAMPLE",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
      })
  void findsProviderKeysAccessKeysAndTokens(String secret) {
    assertThat(matches(only("Secret"), "key=" + secret + " ok"))
        .containsExactly("SECRET:" + secret);
  }

  @Test
  void findsAPrivateKeyBlockFromBeginToEnd() {
    String key =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7n\nq3xZ\n-----END RSA PRIVATE KEY-----";
    assertThat(matches(only("Secret"), "here:\n" + key + "\nbye")).containsExactly("SECRET:" + key);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "use sk-learn or scikit-learn",
        "the skill is a task-oriented one",
        "AKIA is a prefix",
        "eyJ alone is nothing",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        "ghp_short"
      })
  void leavesWordsThatStartLikeKeys(String text) {
    assertThat(matches(only("Secret"), text)).isEmpty();
  }

  @Test
  void findsEveryEntityInMixedText() {
    String text =
        "Mail jane@example.com or call +1 650-253-0000; card 4111 1111 1111 1111,"
            + " SSN 123-45-6789, IBAN DE89370400440532013000, host 10.1.2.3, key AKIAIOSFODNN7EXAMPLE.";
    assertThat(matches(ALL, text))
        .containsExactly(
            "EMAIL:jane@example.com",
            "PHONE:+1 650-253-0000",
            "CREDIT_CARD:4111 1111 1111 1111",
            "SSN:123-45-6789",
            "IBAN:DE89370400440532013000",
            "IP_ADDRESS:10.1.2.3",
            "SECRET:AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void rejectsAnUnknownEntityNamingTheField() {
    assertThatThrownBy(() -> compile("pii", "{'entities':['Passport']}"))
        .isInstanceOf(GuardrailCompileException.class)
        .hasMessageContaining("pii.entities")
        .hasMessageContaining("Passport");
  }
}
