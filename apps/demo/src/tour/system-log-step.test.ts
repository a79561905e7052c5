import type { SystemLogEvent } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { inPublishedOrder } from './system-log-step.js';

const event = (uuid: string, published: string): SystemLogEvent => ({ uuid, published, eventType: 'x', version: '0', severity: 'INFO' });

describe('the System Log step shows events as a person reads a log', () => {
  it('by published time, stable for events published at once, each uuid once, an unreadable time last', () => {
    const events = [
      event('a', '2026-12-02T10:00:01.000Z'),
      event('late', '2026-12-02T10:00:59.000Z'), // a 429 recorded on a clock moved ahead
      event('b', '2026-12-02T10:00:02.000Z'),
      event('c', '2026-12-02T10:00:02.000Z'),
      event('bad', 'not a time'),
      event('b', '2026-12-02T10:00:02.000Z'),
    ];
    expect(inPublishedOrder(events).map((e) => e.uuid)).toEqual(['a', 'b', 'c', 'late', 'bad']);
  });
});
