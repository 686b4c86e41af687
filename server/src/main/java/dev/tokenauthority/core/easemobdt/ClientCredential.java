package dev.tokenauthority.core.easemobdt;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.Secret;
import java.util.Objects;

/**
 * An Easemob app's Client ID and ClientSecret. The secret's label ("primary", "secondary") is what
 * {@link DynamicTokenVerifier} reports as the matched credential. {@code toString} shows the label only.
 */
public record ClientCredential(String clientId, Secret clientSecret) {
  public ClientCredential {
    EasemobRules.checkClientId(clientId);
    if (clientSecret == null || clientSecret.reveal().isEmpty()) {
      throw new InvalidTokenInputException("client_secret", "CLIENT_SECRET_EMPTY", "must not be empty");
    }
  }

  @Override
  public String toString() {
    return "ClientCredential[" + clientId + ", " + Objects.toString(clientSecret) + "]";
  }
}
