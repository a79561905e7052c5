import type { IncomingMessage } from 'node:http';

/** The largest request body the org reads: past it, 413 (`tooLarge`, `http/errors.ts`). */
export const MAX_BODY = 1024 * 1024;

/** The request body, or `undefined` once it passes {@link MAX_BODY} (the rest is not read). */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
