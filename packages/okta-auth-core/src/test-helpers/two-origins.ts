import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import { afterEach, beforeEach } from 'vitest';

/** The org's scripted server and another origin's, which answers 200 `{ stolen: true }` to whatever reaches it. */
export interface TwoOrigins {
  /** The running test's org. */
  readonly okta: ScriptedServer;
  /** Another origin: a credential must never reach it. */
  readonly elsewhere: ScriptedServer;
}

/** Starts both servers before each test of the file and closes them after; read the fields inside tests. */
export function useTwoOrigins(): TwoOrigins {
  let servers: TwoOrigins | undefined;
  beforeEach(async () => {
    servers = { okta: await startScriptedServer(), elsewhere: await startScriptedServer((_req, res) => json(res, 200, { stolen: true })) };
  });
  afterEach(async () => {
    await servers?.okta.close();
    await servers?.elsewhere.close();
  });
  const running = (): TwoOrigins => {
    if (servers === undefined) throw new Error('useTwoOrigins: read the servers inside a test');
    return servers;
  };
  return {
    get okta() {
      return running().okta;
    },
    get elsewhere() {
      return running().elsewhere;
    },
  };
}
