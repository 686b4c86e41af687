/**
 * What Agora's two token formats share: input validation with stable reasons, RTC users and
 * roles, little-endian packing and the HMAC-SHA256 helper. Format specifics live in
 * {@code core.agora007} and {@code core.agora006}; the high-level entry point in
 * {@code core.agora.issue}.
 */
package dev.tokenauthority.core.agora;
