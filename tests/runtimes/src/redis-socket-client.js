// A RedisClientLike for workerd, where no Redis client the repo uses runs: Cloudflare's TCP
// sockets (`connect` from `cloudflare:sockets`) speaking RESP2, the Redis protocol, with one
// command at a time in flight per connection, in order. Enough for what the store sends
// (GET, SET, DEL, EXISTS, EVAL, KEYS, TYPE, HGET) and nothing more: no auth, TLS, reconnection or
// RESP3. It shows that `sendCommand(args)` is all the store asks of a client; it is not a client to ship.
// https://redis.io/docs/latest/develop/reference/protocol-spec/
// https://developers.cloudflare.com/workers/runtime-apis/tcp-sockets/
import { connect } from 'cloudflare:sockets';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One command as a RESP array of bulk strings. */
function encode(args) {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${encoder.encode(arg).length}\r\n${arg}\r\n`);
  return encoder.encode(parts.join(''));
}

/** Reads RESP replies from a byte stream, one `next()` per reply. */
function replyReader(readable) {
  const reader = readable.getReader();
  let buffer = new Uint8Array(0);
  async function fill() {
    const { value, done } = await reader.read();
    if (done) throw new Error('Redis closed the connection');
    const joined = new Uint8Array(buffer.length + value.length);
    joined.set(buffer);
    joined.set(value, buffer.length);
    buffer = joined;
  }
  async function line() {
    for (;;) {
      const end = buffer.findIndex((byte, i) => byte === 13 && buffer[i + 1] === 10);
      if (end >= 0) {
        const text = decoder.decode(buffer.subarray(0, end));
        buffer = buffer.subarray(end + 2);
        return text;
      }
      await fill();
    }
  }
  async function bytes(length) {
    while (buffer.length < length + 2) await fill();
    const text = decoder.decode(buffer.subarray(0, length));
    buffer = buffer.subarray(length + 2);
    return text;
  }
  async function next() {
    const head = await line();
    const rest = head.slice(1);
    switch (head[0]) {
      case '+':
        return rest;
      case '-':
        return new Error(rest);
      case ':':
        return Number(rest);
      case '$':
        return Number(rest) < 0 ? null : bytes(Number(rest));
      case '*': {
        if (Number(rest) < 0) return null;
        const items = [];
        for (let i = 0; i < Number(rest); i++) items.push(await next());
        return items;
      }
      default:
        throw new Error(`not a RESP reply: ${JSON.stringify(head.slice(0, 20))}`);
    }
  }
  return { next, cancel: () => reader.cancel().catch(() => undefined) };
}

/** Connects to `redis://host:port`: `{ sendCommand(args), quit() }`. */
export async function connectRedisSocket(url) {
  const { hostname, port } = new URL(url);
  const socket = connect({ hostname, port: Number(port) });
  await socket.opened;
  const writer = socket.writable.getWriter();
  const replies = replyReader(socket.readable);
  let queue = Promise.resolve();
  const sendCommand = (args) => {
    const reply = queue.then(async () => {
      await writer.write(encode(args.map(String)));
      const answer = await replies.next();
      if (answer instanceof Error) throw answer;
      return answer;
    });
    queue = reply.catch(() => undefined);
    return reply;
  };
  return {
    sendCommand,
    async quit() {
      await queue;
      await replies.cancel();
      await socket.close().catch(() => undefined);
    },
  };
}

/** The socket client as the Redis store's cases take one (`name` 'socket'): `{ client, raw(args), close() }`. */
export async function connectSocketClient(name, url) {
  if (name !== 'socket') throw new Error(`no Redis client named ${name} here`);
  const { sendCommand, quit } = await connectRedisSocket(url);
  return { client: { sendCommand }, raw: sendCommand, close: quit };
}
