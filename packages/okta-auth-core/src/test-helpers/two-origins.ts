import { json, type ScriptedServer } from '@org/okta-test-utils';
import { useScriptedServer } from './scripted-server.js';

/** The org's scripted server and another origin's, which answers 200 `{ stolen: true }` to whatever reaches it. */
export interface TwoOrigins {
  /** The running test's org. */
  readonly okta: ScriptedServer;
  /** Another origin: a credential must never reach it. */
  readonly elsewhere: ScriptedServer;
}

/** Starts both servers before each test of the file and closes them after; read the fields inside tests. */
export function useTwoOrigins(): TwoOrigins {
  return { okta: useScriptedServer(), elsewhere: useScriptedServer((_req, res) => json(res, 200, { stolen: true })) };
}
