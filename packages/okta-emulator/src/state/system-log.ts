import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';

/** An actor or target of a LogEvent (System Log API, "Actor object" / "Target object"). */
export interface LogEntity {
  id: string;
  type: string;
  alternateId: string | null;
  displayName: string | null;
  detailEntry: Record<string, unknown> | null;
}

/** A LogEvent as `GET /api/v1/logs` returns it (the fields the emulator fills). */
export interface LogEvent {
  uuid: string;
  published: string;
  eventType: string;
  version: '0';
  severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  legacyEventType: string | null;
  displayMessage: string | null;
  actor: LogEntity;
  client: Record<string, unknown> | null;
  outcome: { result: string; reason: string | null };
  target: LogEntity[];
  transaction: { type: 'WEB' | 'JOB'; id: string; detail: Record<string, unknown> };
  debugContext: { debugData: Record<string, unknown> };
  authenticationContext: Record<string, unknown>;
  securityContext: Record<string, unknown>;
  request: { ipChain: unknown[] };
}

/** What a recorder gives; the log fills `uuid`, `version` and (unless given) `published`. */
export type LogEventInput = Omit<LogEvent, 'uuid' | 'published' | 'version'> & { published?: number | undefined };

/** A stored event: the LogEvent and when it was persisted (the order polling requests follow). */
export interface StoredLogEvent {
  readonly seq: number;
  /** Persistence time on the org clock (ms): what a polling request's `since` filters. */
  readonly persisted: number;
  /** `published` (ms): what a bounded request filters and sorts by. */
  readonly published: number;
  readonly event: LogEvent;
}

/** The newest events kept; older ones are dropped as new ones come (see docs/FIDELITY.md, S-rows). */
export const MAX_LOG_EVENTS = 10_000;
/** Okta's retention: "Log data older than 90 days isn't returned". */
export const LOG_RETENTION_MS = 90 * 24 * 3600 * 1000;

/**
 * The org's System Log: events in persistence order, bounded to the newest {@link MAX_LOG_EVENTS},
 * and never an event older than {@link LOG_RETENTION_MS} (by `published`, on the org clock).
 *
 * @see https://developer.okta.com/docs/reference/api/system-log/
 */
export class SystemLog {
  readonly #clock: Clock;
  readonly #events: StoredLogEvent[] = [];
  #seq = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Record an event now; returns it as stored. */
  record(input: LogEventInput): StoredLogEvent {
    const persisted = this.#clock.nowMs();
    const { published = persisted, ...rest } = input;
    const event: LogEvent = { uuid: randomUUID(), published: new Date(published).toISOString(), version: '0', ...rest };
    const stored: StoredLogEvent = { seq: ++this.#seq, persisted, published, event };
    this.#events.push(stored);
    if (this.#events.length > MAX_LOG_EVENTS) this.#events.shift();
    return stored;
  }

  /** The sequence number of the newest event recorded (0 before the first). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Every event within retention, in persistence order (oldest first). */
  retained(): StoredLogEvent[] {
    const oldest = this.#clock.nowMs() - LOG_RETENTION_MS;
    return this.#events.filter((e) => e.published >= oldest);
  }
}
