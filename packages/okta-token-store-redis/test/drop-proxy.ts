/**
 * A TCP proxy in front of a real redis-server that can drop a connection after Redis ran a
 * command but before its reply reaches the client (a `CLIENT KILL`, a broken network, a restarted
 * load balancer at the wrong moment): the command took effect, the client never heard so.
 */
import { connect, createServer, type Socket } from 'node:net';

/** The proxy: its port, the next command to drop the reply of, and how to close it. */
export interface DropProxy {
  readonly port: number;
  /** The next time a command containing `marker` is sent, Redis runs it but the client's connection closes before the reply. */
  dropReplyTo(marker: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the proxy on a free port of 127.0.0.1 in front of the redis-server on `redisPort`. */
export async function startDropProxy(redisPort: number): Promise<DropProxy> {
  let marker: string | undefined;
  let dropped: (() => void) | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(redisPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let dropNext = false;
    client.on('data', (data: Buffer) => {
      if (marker !== undefined && data.toString('latin1').includes(marker)) {
        marker = undefined;
        dropNext = true;
      }
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      if (!dropNext) return void client.write(data);
      // Redis ran it and answered: the client never sees the answer.
      client.destroy();
      upstream.destroy();
      dropped?.();
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    dropReplyTo(text) {
      marker = text;
      return new Promise((resolve) => (dropped = resolve));
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
