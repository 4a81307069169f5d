import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** sha256 of a text's UTF-8 bytes, in lower-case hex. */
export type Sha256Hex = (text: string) => string;

const portable: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));
let implementation: Sha256Hex = portable;

/**
 * sha256 of a text's UTF-8 bytes as "sha256:<hex>". The core's implementation is portable
 * (@noble/hashes, no node:crypto), so the same core runs in a browser.
 */
export const sha256Text = (text: string): string => `sha256:${implementation(text)}`;

/**
 * Lets an edge that has a faster sha256 (Node's, about 4x faster here) use it. It must give the
 * same bytes as the portable one: tests/architecture.test.ts compares them. Without a call, or with
 * undefined, the portable implementation is used.
 */
export function useSha256(hex: Sha256Hex | undefined): void {
  implementation = hex ?? portable;
}

/** The hex sha256 of a text's UTF-8 bytes (no "sha256:" prefix). */
export const sha256Hex = (text: string): string => implementation(text);
