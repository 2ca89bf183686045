package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.gateway.FleetConfigSource;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.testing.SecretScan;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config service over TLS: a self-signed certificate made with the JDK's keytool, given to the
 * operator as PEM ({@code --tls-cert/--tls-key}); a gateway that trusts it ({@code
 * --operator-ca-file}) applies snapshots over https, one that does not never connects.
 */
@EnableKubernetesMockClient(crud = true)
class ConfigServiceTlsTest {
  static final String TOKEN = "fleet-token-over-tls";
  static final FleetConfigSource.Options FAST =
      new FleetConfigSource.Options(
          Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(400));

  static KubernetesMockServer server;
  static KubernetesClient client;
  @TempDir static Path dir;
  static Path certificate;
  static Path tokenFile;
  static PortcullisOperator operator;
  static URI https;

  @BeforeAll
  static void start() throws Exception {
    TestCluster.installCrds(client);
    Path keyFile = dir.resolve("tls.key");
    certificate = dir.resolve("tls.crt");
    selfSignedCertificate(certificate, keyFile);
    tokenFile = TestCluster.tokenFile(TOKEN);
    operator =
        PortcullisOperator.start(
            client, OperatorSettings.forTests(tokenFile).withTls(certificate, keyFile));
    https = URI.create("https://127.0.0.1:" + operator.configPort());
    new TestCluster(client)
        .create(
            LLMRoute.class,
            """
            apiVersion: portcullis.dev/v1alpha1
            kind: LLMRoute
            metadata: {name: chat, namespace: team-a}
            spec:
              model: chat
              targets: [{name: echo, provider: echo, model: echo}]
            """);
    await().atMost(Duration.ofSeconds(10)).until(() -> operator.servedSnapshotRoutes().size() == 1);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  /**
   * keytool makes an RSA key pair and a self-signed certificate for 127.0.0.1 in a PKCS#12 store;
   * the JDK's KeyStore turns them into the PEM files the operator takes.
   */
  static void selfSignedCertificate(Path certificatePem, Path keyPem) throws Exception {
    Path store = dir.resolve("config-service.p12");
    String password = "changeit";
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "config-service",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=portcullis-operator",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                password)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();

    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, password.toCharArray());
    }
    PrivateKey key = (PrivateKey) keyStore.getKey("config-service", password.toCharArray());
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    Files.writeString(
        certificatePem, pem("CERTIFICATE", keyStore.getCertificate("config-service").getEncoded()));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  @Test
  void aGatewayThatTrustsTheCertificateAppliesSnapshotsOverHttps() {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()));
        FleetConfigSource source =
            FleetConfigSource.start(
                https, tokenFile, "gateway-tls", gateway, FAST.withTrustedCa(certificate))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> operator.servedVersion().equals(gateway.appliedVersion()));
      assertThat(source.isConnected()).isTrue();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> operator.connectedGateways().contains("gateway-tls"));
    }
  }

  @Test
  void aGatewayThatDoesNotTrustTheCertificateNeverConnects() throws Exception {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()));
        FleetConfigSource source =
            FleetConfigSource.start(https, tokenFile, "gateway-untrusting", gateway, FAST)) {
      Thread.sleep(1_000);
      assertThat(source.isConnected()).isFalse();
      assertThat(gateway.appliedVersion()).isNull();
      assertThat(operator.connectedGateways()).doesNotContain("gateway-untrusting");
    }
  }

  @Test
  void theConfigServiceDoesNotSpeakPlainHttp() {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + operator.configPort() + "/healthz"))
              .timeout(Duration.ofSeconds(5))
              .build();
      assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aCaFileWithoutCertificatesIsRefusedAtStartNamingTheFile() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty-ca.pem"), "");
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      assertThatThrownBy(
              () ->
                  FleetConfigSource.start(
                      https, tokenFile, "gateway-x", gateway, FAST.withTrustedCa(empty)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(empty.toString());
    }
  }
}
