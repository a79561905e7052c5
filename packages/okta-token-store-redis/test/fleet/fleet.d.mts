export interface BurstResult {
  ok: number;
  failed: number;
  codes: string[];
  callMs: number;
  wallMs: number;
  tokens: string[];
  events: string[];
  /** 429 answers this process received. */
  tooMany: number;
}
export interface Fleet {
  workers: unknown[];
  setup(configFor: (index: number) => Record<string, unknown>): Promise<void>;
  burst(n: number, path?: string): Promise<BurstResult[]>;
  burstOne(index: number, n: number, path?: string): Promise<BurstResult>;
  setClockOffset(seconds: number): Promise<void>;
  kill(index: number): Promise<void>;
  close(): Promise<void>;
}
export function startFleet(size: number): Promise<Fleet>;
export function total(results: readonly BurstResult[]): { ok: number; failed: number; codes: string[]; callMs: number };
