import { connect } from 'node:net';
import type { OktaEmulator } from '../index.js';

export interface RawAnswer {
  /** The status line and headers, lower-cased names. */
  head: string;
  status: number;
  body: string;
  /** Whether the emulator closed the connection itself. */
  closed: boolean;
}

/**
 * Bytes written to a real socket as they are; the answer once the emulator closes the connection or
 * has sent a whole response (`Content-Length`), so a kept-open connection does not hang the test.
 */
export function rawExchange(org: OktaEmulator, write: (send: (data: string | Buffer) => boolean) => void): Promise<RawAnswer> {
  const { hostname, port } = new URL(org.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let got = Buffer.alloc(0);
    const answer = (closed: boolean): RawAnswer | undefined => {
      const text = got.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const head = text.slice(0, end).toLowerCase();
      const length = /\r\ncontent-length: (\d+)/.exec(head);
      const body = got.subarray(end + 4).toString('utf8');
      if (!closed && (length === null || Buffer.byteLength(body) < Number(length[1]))) return undefined;
      return { head, status: Number(text.slice(9, 12)), body, closed };
    };
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      const done = answer(false);
      if (done === undefined) return;
      // Wait for the close when the emulator announced it.
      if (done.head.includes('\r\nconnection: close')) return;
      socket.destroy();
      resolve(done);
    });
    socket.on('close', () => {
      const done = answer(true);
      if (done === undefined) reject(new Error(`no answer: ${got.toString('latin1').slice(0, 200)}`));
      else resolve(done);
    });
    socket.on('error', () => undefined);
    socket.on('connect', () => write((data) => socket.write(data)));
  });
}
