/**
 * zlib output without zlib's per-call cost: a byte-exact level-6 deflater for token-sized inputs
 * (the 007 builder's hot path). Knows nothing of tokens.
 */
package dev.tokenauthority.core.zlib;
