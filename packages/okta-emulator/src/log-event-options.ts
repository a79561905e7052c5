/*
 * The System Log event a test records with `OktaEmulator.recordLogEvent` (emulator-api.ts): its
 * options and the entities it names, as Okta's LogEvent fields.
 */

/**
 * Options for {@link OktaEmulator.recordLogEvent}: a System Log event of the test's choosing, with
 * Okta's LogEvent fields. Unset: `published` now, `severity` `INFO`, the Okta system as the actor, no
 * targets, outcome `SUCCESS`.
 *
 * @example
 * ```ts
 * org.recordLogEvent({ eventType: 'user.session.start', outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' } });
 * ```
 * @see https://developer.okta.com/docs/reference/api/system-log/#logevent-object
 */
export interface RecordLogEventOptions {
  /** An event type from Okta's catalogue, such as `'user.lifecycle.create'`. */
  eventType: string;
  /** When it happened, as an ISO 8601 date-time; unset: now on the org's clock. */
  published?: string | undefined;
  /** `DEBUG`, `INFO` (default), `WARN` or `ERROR`. */
  severity?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | undefined;
  /** The event's message. */
  displayMessage?: string | undefined;
  /** Who acted; unset: the Okta system. */
  actor?: LogEventEntity | undefined;
  /** What it acted on (at most 100). */
  target?: LogEventEntity[] | undefined;
  /** `{ result: 'SUCCESS' }` unless given. */
  outcome?: {
    /** `SUCCESS`, `FAILURE`, `SKIPPED`, `ALLOW`, `DENY`, `CHALLENGE` or `UNKNOWN`. */
    result: string;
    /** Why, such as `INVALID_CREDENTIALS`. */
    reason?: string | undefined;
  } | undefined;
}

/**
 * An actor or target of a System Log event.
 *
 * @example
 * ```ts
 * const actor: LogEventEntity = { id: '00u1', type: 'User', alternateId: 'ada@example.com' };
 * ```
 * @see https://developer.okta.com/docs/reference/api/system-log/#actor-object
 */
export interface LogEventEntity {
  /** The entity's id. */
  id: string;
  /** Its type, such as `User`, `UserGroup` or `PublicClientApp`. */
  type: string;
  /** Another id, such as a user's login. */
  alternateId?: string | undefined;
  /** Its name. */
  displayName?: string | undefined;
}
