/** How messages name a failed file-system call's errno code (no imports: the workbench bundles it too). */

/** A failed file-system call's errno code as messages show it: "ENOSPC: no space left on the device", or the bare code. */
export const errnoText = (code: string): string => (REASONS[code] ? `${code}: ${REASONS[code]}` : code);

/** What an errno code means in a message ("permission denied"), when the project words it. */
export const errnoReason = (code: string): string | undefined => REASONS[code];

/** `errnoText` of a caught error's code, or "unknown error" for an error without one. */
export const errorText = (error: unknown): string => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? errnoText(code) : "unknown error";
};

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EIO: "input/output error",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EBADF: "the stream is closed",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a file is where a folder should be",
  ENAMETOOLONG: "the name is too long",
};
