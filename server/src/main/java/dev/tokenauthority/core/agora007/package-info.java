/**
 * Agora AccessToken2 ("007"): {@link dev.tokenauthority.core.agora007.AccessToken2} (parsed,
 * immutable claims), {@link dev.tokenauthority.core.agora007.AccessToken2Builder} and {@link
 * dev.tokenauthority.core.agora007.AccessToken2Verifier}. Wire format: shared/spec/token-formats.md §1.
 */
package dev.tokenauthority.core.agora007;
