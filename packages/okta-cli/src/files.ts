import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, renameSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { isatty, ReadStream as TtyReadStream } from 'node:tty';
import type { Readable } from 'node:stream';
import { CliError, configError } from './exit-codes.js';

/**
 * The CLI's one reader of a file it is told about (okta.yaml, a private key, the token file):
 * a regular file only, at most `maxBytes`, `undefined` when absent. A path that is a folder, a
 * FIFO or a device (an `okta.yaml` linked to /dev/zero in a cloned repository) is a
 * configuration error naming it (as `shown`: the path unless it may be a secret), never a read that
 * never ends or fills the memory.
 */
export function readSmallFile(path: string, maxBytes: number, what: string, shown = path): string | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer would wait forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw configError(`${shown} (${what}) cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw configError(`${shown} (${what}) is not a regular file: point it at a file.`);
    const text = stat.size > maxBytes ? undefined : readToBound(fd, maxBytes)?.toString('utf8');
    if (text === undefined) throw configError(`${shown} (${what}) is larger than ${sizeShown(maxBytes)}: is it the right file?`);
    return text;
  } finally {
    closeSync(fd);
  }
}

/** A bound as messages give it: whole MiB as MiB (`1 MiB`, not `1024 KiB`), else KiB. */
function sizeShown(bytes: number): string {
  const mib = 1024 * 1024;
  return bytes % mib === 0 ? `${bytes / mib} MiB` : `${bytes / 1024} KiB`;
}

/** Reads `fd` to its end, at most `maxBytes`: `undefined` once more came (one byte past the bound is read at most). */
function readToBound(fd: number, maxBytes: number): Buffer | undefined {
  // A file that grows while it is read, or a pipe that never ends, stops at the bound.
  const buffer = Buffer.alloc(maxBytes + 1);
  let length = 0;
  for (;;) {
    const n = readSync(fd, buffer, length, buffer.length - length, null);
    if (n === 0) return buffer.subarray(0, length);
    length += n;
    if (length > maxBytes) return undefined;
  }
}

/**
 * Input bytes as text: UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8), a leading
 * byte order mark dropped (PowerShell's `Out-File`, Notepad), as `TextDecoder`'s `fatal` and
 * default BOM handling read them. Bytes that are not UTF-8 (a Latin-1 export's `ü` as the one byte
 * 0xFC) reject with the code `EILSEQ`, never turned into U+FFFD and sent.
 */
function inputText(bytes: Uint8Array | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw Object.assign(new Error('not UTF-8'), { code: 'EILSEQ' });
  }
}

/**
 * The CLI's reader of input the user hands it (`--data @FILE`, `--data @-`), bounded as
 * {@link readSmallFile} is but not only of regular files: `-` is `stdin`, read as it arrives (a
 * slow producer is waited for, never an `EAGAIN`); anything else a path, which may be a pipe
 * (`@<(jq …)`, a FIFO: read as `stdin` is, its writer waited for) or a device. At most `maxBytes`:
 * `undefined` as soon as more came, and the rest is never read. A path that cannot be read rejects
 * with its `code`; input that is not UTF-8 with `EILSEQ` (see {@link inputText}).
 */
export async function readInput(path: string, stdin: Readable, maxBytes: number): Promise<string | undefined> {
  return inputText(await readInputBytes(path, stdin, maxBytes));
}

/** {@link readInput}'s bytes. */
async function readInputBytes(path: string, stdin: Readable, maxBytes: number): Promise<Uint8Array | undefined> {
  if (path === '-') return readStreamToBound(stdin, maxBytes);
  // O_NONBLOCK: the open of a FIFO does not wait for its writer. A wait in open(2) or read(2) blocked
  // the main thread (the CLI's Ctrl-C handler never ran) or, in the thread pool, process.exit: a
  // FIFO is read through the event loop, which waits for its writer, so Ctrl-C stops the wait.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (stat.isFIFO()) return readStreamToBound(new Socket({ fd, readable: true, writable: false }), maxBytes);
  // A terminal (`@/dev/tty`, `@/dev/stdin` on one): through the event loop too, lines as typed until
  // Ctrl-D. Read blocking, Ctrl-C ended the read as if the input were complete, or never, and the
  // CLI's handler did not run: what was typed so far could be sent to the org.
  if (isatty(fd)) {
    const tty = new TtyReadStream(fd);
    try {
      return await readStreamToBound(tty, maxBytes);
    } finally {
      tty.destroy();
    }
  }
  closeSync(fd);
  if (stat.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
  // Anything else is read blocking, as before: a file at once, a device (`/dev/zero`, `/dev/urandom`)
  // as it comes; the bound ends one that never ends.
  const blocking = openSync(path, constants.O_RDONLY);
  try {
    return readToBound(blocking, maxBytes);
  } finally {
    closeSync(blocking);
  }
}

/** Reads `stream` to its end, at most `maxBytes`: `undefined` as soon as more came. */
async function readStreamToBound(stream: Readable, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    length += bytes.length;
    // Leaving the loop destroys the stream: nothing past the bound is read.
    if (length > maxBytes) return undefined;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * Writes a file only the user can read, whatever was at the path: the text goes to a new file
 * beside it, created `0600` with `O_EXCL` (never through a link someone planted, never a file
 * of another mode or owner), then renamed over the path, which replaces a link or an old file
 * rather than writing through it. A path someone else owns in a shared folder (`/tmp`) or a
 * folder at the path is a configuration error naming it.
 */
export function writePrivateFile(path: string, text: string): void {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    if (lstatSync(path, { throwIfNoEntry: false })?.isDirectory() === true) throw configError(`${path} is a folder: name a file.`);
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    if (error instanceof CliError) throw error;
    throw configError(`${path} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}): choose a path in a folder of yours.`);
  }
}
