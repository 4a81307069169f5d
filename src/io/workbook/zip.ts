/**
 * Just enough of the ZIP format (an .xlsx is a ZIP archive) to check an archive before it is
 * unpacked, and to make written archives byte-identical from run to run.
 */

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export interface ZipEntry {
  readonly name: string;
  readonly uncompressedSize: number;
  readonly centralOffset: number;
  readonly localOffset: number;
}

/** The entries of the central directory, or a reason the bytes are not a ZIP archive that can be read. */
export function zipEntries(bytes: Uint8Array): { entries: ZipEntry[] } | { problem: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === EOCD) {
      end = p;
      break;
    }
  }
  if (end < 0) return { problem: "it is not a ZIP archive (an .xlsx file is one): no end of central directory" };
  const count = view.getUint16(end + 10, true);
  let p = view.getUint32(end + 16, true);
  if (count === 0xffff || p === 0xffffffff) return { problem: "it is a ZIP64 archive, which no workbook of this size needs" };
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) return { problem: "its central directory is damaged" };
    const nameLength = view.getUint16(p + 28, true);
    const size = view.getUint32(p + 24, true);
    const localOffset = view.getUint32(p + 42, true);
    if (size === 0xffffffff || localOffset === 0xffffffff) return { problem: "it is a ZIP64 archive, which no workbook of this size needs" };
    entries.push({ name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength)), uncompressedSize: size, centralOffset: p, localOffset });
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return { entries };
}

/** DOS date 1980-01-01, time 00:00: the earliest a ZIP entry can carry. */
const FIXED_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * Sets every entry's modification time to one fixed value, in its local header and in the central
 * directory (neither is covered by the CRC), so the same workbook gives the same bytes.
 */
export function fixZipTimestamps(bytes: Uint8Array): Uint8Array {
  const read = zipEntries(bytes);
  if (!("entries" in read)) return bytes;
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (const entry of read.entries) {
    view.setUint16(entry.centralOffset + 12, 0, true);
    view.setUint16(entry.centralOffset + 14, FIXED_DATE, true);
    if (view.getUint32(entry.localOffset, true) === LOCAL) {
      view.setUint16(entry.localOffset + 10, 0, true);
      view.setUint16(entry.localOffset + 12, FIXED_DATE, true);
    }
  }
  return out;
}
