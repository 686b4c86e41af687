package dev.tokenauthority.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One privilege a token grants, in format-neutral terms.
 *
 * @param service the service it belongs to ("rtc", "rtm", "chat", "zego-room", ...)
 * @param name a readable name ("join_channel", "publish_audio", "login", "user", "app", ...)
 * @param code the number on the wire (privilege key)
 * @param expiresAt absolute expiry, or empty when the privilege has no limit of its own
 */
public record Privilege(String service, String name, int code, Optional<Instant> expiresAt) {}
