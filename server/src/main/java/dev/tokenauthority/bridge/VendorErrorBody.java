package dev.tokenauthority.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The error object Easemob and Agora Chat (same REST platform) return:
 * {"error":"invalid_grant","error_description":"invalid password",...}. Missing parts are empty.
 *
 * @param error the vendor's error code, kept only when it looks like one (lowercase, short)
 * @param description the vendor's text; used for matching only, never put into messages (it can
 *     echo the user name)
 */
public record VendorErrorBody(String error, String description) {
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");

  public static VendorErrorBody parse(byte[] body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        return new VendorErrorBody("", "");
      }
      String error = node.path("error").asText("").toLowerCase(Locale.ROOT);
      if (!ERROR_CODE.matcher(error).matches()) {
        error = "";
      }
      return new VendorErrorBody(error, node.path("error_description").asText(""));
    } catch (Exception e) {
      return new VendorErrorBody("", "");
    }
  }

  public boolean descriptionContains(String text) {
    return description.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
  }
}
