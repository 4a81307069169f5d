import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * The hex sha256 of a text's UTF-8 bytes: the same bytes as node:crypto's
 * `createHash("sha256").update(text).digest("hex")`, without a Node built-in, so the core runs in a browser.
 */
export const sha256Hex = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));
