package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.AgoraValidation;
import java.util.Objects;

/**
 * An Agora app's id and the certificate used to sign new tokens (verification may try more
 * certificates; signing uses one). Validated on construction; toString never shows the secret.
 */
public record AgoraCredentials(String appId, Secret certificate) {
  public AgoraCredentials {
    AgoraValidation.appId(appId);
    Objects.requireNonNull(certificate, "certificate");
    AgoraValidation.appCertificate(certificate.reveal());
  }
}
