import { createOktaFetch, pollSystemLog, type SystemLogEvent } from '@org/okta-auth-core';
import type { Column } from '../ui/table.js';
import { plural } from '../ui/ui.js';
import { apiTokenCredential, USER_AGENT, type Figures, type StepContext } from './steps.js';

/** Read at most this many pages of the log: the demo shows what it did, it is not an export. */
const MAX_PAGES = 5;
const TABLE_ROWS = 8;

const eventColumns: readonly Column<SystemLogEvent>[] = [
  { heading: 'Time (UTC)', cell: (e) => e.published.slice(11, 19) },
  { heading: 'Event type', cell: (e) => e.eventType, max: 40 },
  { heading: 'Actor', cell: (e) => e.actor?.alternateId ?? e.actor?.id ?? '', max: 28 },
  { heading: 'Target', cell: (e) => e.target?.[0]?.alternateId ?? e.target?.[0]?.displayName ?? '', max: 28 },
  { heading: 'Outcome', cell: (e) => e.outcome?.result ?? '' },
];

/**
 * Step 6: the System Log since the tour began, read with `pollSystemLog` until it has caught up
 * (its first empty page): the tokens the steps were granted, the 429 of step 2, the sign-in and
 * sign-out of step 4. The API token reads it (`okta.logs.read` for an OAuth app).
 */
export async function systemLogStep(ctx: StepContext): Promise<Figures> {
  const { ui } = ctx;
  const okta = createOktaFetch({ credential: apiTokenCredential(ctx), userAgent: USER_AGENT });
  const events: SystemLogEvent[] = [];
  const pages = await ui.task('Reading the System Log since the tour began', async (progress) => {
    let read = 0;
    // A polling request (no `until`): every page links a next one; the first empty page means caught up.
    for await (const page of pollSystemLog(okta, `/api/v1/logs?since=${encodeURIComponent(ctx.since)}&limit=100`)) {
      read++;
      events.push(...page.items);
      progress(`${plural(events.length, 'event')}, ${plural(read, 'page')}`);
      if (page.items.length === 0 || read >= MAX_PAGES) break;
    }
    return read;
  });
  const shown = inPublishedOrder(events);
  ui.table(eventColumns, shown, TABLE_ROWS);
  const byType = new Map<string, number>();
  for (const event of shown) byType.set(event.eventType, (byType.get(event.eventType) ?? 0) + 1);
  const counts = [...byType].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  ui.line();
  ui.figures([['events', shown.length], ['pages (the last one empty: caught up)', pages], ...counts]);
  return { events: shown.length, pages, eventTypes: Object.fromEntries(counts) };
}

/**
 * The events as a person reads a log: by `published`, each once. A polling request returns them in
 * persistence order, which is not always `published` order: step 2's 429 is recorded on the org's
 * clock moved toward the minute's end, so it came back before events published earlier than it. The
 * sort is stable (events published at once keep the org's order); an event read twice (its `uuid`
 * seen) is shown once.
 */
export function inPublishedOrder(events: readonly SystemLogEvent[]): SystemLogEvent[] {
  const seen = new Set<unknown>();
  const rows: { event: SystemLogEvent; index: number; at: number }[] = [];
  for (const event of events) {
    if (seen.has(event.uuid)) continue;
    seen.add(event.uuid);
    const at = Date.parse(event.published);
    // An unreadable time sorts last, where the org put it among those.
    rows.push({ event, index: rows.length, at: Number.isNaN(at) ? Number.MAX_VALUE : at });
  }
  return rows.sort((a, b) => (a.at === b.at ? a.index - b.index : a.at < b.at ? -1 : 1)).map((row) => row.event);
}
