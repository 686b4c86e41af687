/**
 * Legacy Agora AccessToken ("006"): {@link dev.tokenauthority.core.agora006.LegacyAccessToken},
 * {@link dev.tokenauthority.core.agora006.LegacyAccessTokenBuilder} and {@link
 * dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier}. Wire format:
 * shared/spec/token-formats.md §2. The token carries only CRC-32s of the channel name and uid
 * text, so verifying one needs both spelled out again.
 */
package dev.tokenauthority.core.agora006;
