package dev.tokenauthority.bridge;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Chat user names as Agora Chat and Easemob accept them: 1 to 64 of a-z, 0-9, "_", "-", ".";
 * the vendors compare them case-insensitively, so upper case is accepted and folded.
 */
public final class UserNames {
  public static final int MAX_LENGTH = 64;
  private static final Pattern ALLOWED = Pattern.compile("[a-z0-9_.-]+");

  private UserNames() {}

  /** The canonical (lower-case) name, or CHAT_USER_NAME_INVALID. */
  public static String canonical(Vendor vendor, String name) {
    if (name == null || name.isEmpty()) {
      throw invalid(vendor, VendorReason.CHAT_USER_NAME_INVALID, "user name is empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw invalid(vendor,
          vendor == Vendor.EASEMOB ? VendorReason.EASEMOB_USERNAME_TOO_LONG
              : VendorReason.CHAT_USER_NAME_INVALID,
          "user name is longer than " + MAX_LENGTH + " characters");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (!ALLOWED.matcher(lower).matches()) {
      throw invalid(vendor, VendorReason.CHAT_USER_NAME_INVALID,
          "user name may contain only a-z, 0-9, '_', '-', '.'");
    }
    return lower;
  }

  private static VendorCallException invalid(Vendor vendor, VendorReason reason, String msg) {
    return new VendorCallException(vendor, reason, msg);
  }
}
