import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * sha256 of a text's UTF-8 bytes as "sha256:<hex>". Portable (no node:crypto), so the core runs
 * in a browser; the same bytes as node:crypto's createHash("sha256").update(text).
 */
export const sha256Text = (text: string): string => `sha256:${bytesToHex(sha256(utf8ToBytes(text)))}`;
