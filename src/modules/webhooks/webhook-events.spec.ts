import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_EVENT_NAMES } from '../../common/events/domain-events';
import { SUBSCRIBABLE_EVENTS } from './webhook-events';

describe('webhook event list', () => {
  it('is the domain events plus `*`, so a new event is subscribable without a second list', () => {
    expect([...SUBSCRIBABLE_EVENTS]).toEqual([...DOMAIN_EVENT_NAMES, '*']);
  });

  it('matches the list docs/webhooks.md gives subscribers', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'webhooks.md'), 'utf8');
    const paragraph = /^`events`: any of ([\s\S]*?)\. /m.exec(doc)?.[1] ?? '';
    const documented = [...paragraph.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(documented).toEqual([...SUBSCRIBABLE_EVENTS]);
  });
});
