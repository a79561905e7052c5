import { createOktaFetch, pollSystemLog, type SystemLogEvent } from '@org/okta-auth-core';
import type { Column } from '../ui/table.js';
import { plural } from '../ui/ui.js';
import { apiTokenCredential, type Figures, type StepContext } from './steps.js';

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
  const okta = createOktaFetch({ credential: apiTokenCredential(ctx), userAgent: 'okta-demo/0.0.0' });
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
  ui.table(eventColumns, events, TABLE_ROWS);
  const byType = new Map<string, number>();
  for (const event of events) byType.set(event.eventType, (byType.get(event.eventType) ?? 0) + 1);
  const counts = [...byType].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  ui.line();
  ui.figures([['events', events.length], ['pages (the last one empty: caught up)', pages], ...counts]);
  return { events: events.length, pages, eventTypes: Object.fromEntries(counts) };
}
