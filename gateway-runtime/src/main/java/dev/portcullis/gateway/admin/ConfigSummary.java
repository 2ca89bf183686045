package dev.portcullis.gateway.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;

/**
 * The redacted view of an applied snapshot for {@code /config}: names, models, providers and
 * whether credentials are set — never a credential, never a key hash.
 */
public final class ConfigSummary {
  private ConfigSummary() {}

  public static ObjectNode of(Snapshot snapshot) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", snapshot.version());
    root.put("schemaVersion", snapshot.schemaVersion());
    var routes = root.putArray("routes");
    for (RouteConfig r : snapshot.routes()) {
      ObjectNode route = routes.addObject();
      route.put("name", r.id().qualifiedName());
      route.put("generation", r.id().generation());
      route.put("model", r.model());
      var aliases = route.putArray("aliases");
      r.aliases().forEach(aliases::add);
      route.put("strategy", r.strategy().mode().name());
      var targets = route.putArray("targets");
      for (TargetConfig t : r.targets()) {
        ObjectNode target = targets.addObject().put("name", t.name());
        if (t.isRoute()) {
          target.put("route", t.route());
        } else {
          target.put("provider", t.provider());
          target.put("model", t.model());
          target.put("baseUrl", t.baseUrl());
          target.put("credentials", t.apiKey() == null ? "none" : "set");
        }
      }
    }
    var keys = root.putArray("keys");
    for (KeyConfig k : snapshot.keys()) {
      ObjectNode key = keys.addObject();
      key.put("name", k.id().qualifiedName());
      key.put("keyId", k.keyId());
      key.put("disabled", k.disabled());
      key.put("expiresAt", k.expiresAt() == null ? null : k.expiresAt().toString());
      key.put("activeKeys", k.hashes().size());
      var allowed = key.putArray("routes");
      k.routes().forEach(allowed::add);
      var byo = key.putArray("providerCredentials");
      k.providerCredentials().keySet().stream().sorted().forEach(byo::add);
    }
    var policies = root.putArray("guardrailPolicies");
    for (GuardrailPolicyConfig p : snapshot.policies()) {
      policies.add(p.id().qualifiedName());
    }
    var templates = root.putArray("promptTemplates");
    for (PromptTemplateConfig t : snapshot.templates()) {
      templates.add(t.id().qualifiedName());
    }
    return root;
  }
}
