package dev.tokenauthority.core;

/**
 * The outcome of a successful verification: the claims, now trustworthy, and the label of the
 * credential that matched (for example "secondary" during certificate rotation).
 */
public record VerifiedToken<T extends TokenClaims>(T claims, String matchedCredential) {}
