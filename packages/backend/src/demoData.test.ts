import {
  ControlSummary,
  controlStatus,
} from '@open-itsm/plugin-security-management-common';
import { DateTime } from 'luxon';
import { demoTestRecords, seed } from './demoData';

const now = DateTime.fromISO('2026-06-01T12:00:00Z');

function control(name: string, cadence: string): ControlSummary {
  return {
    ref: `securitycontrol:default/${name}`,
    title: name,
    owner: 'group:default/security-team',
    category: 'technical',
    criticality: 'high',
    cadence,
    method: 'automated',
    frameworks: [],
  };
}

describe('demoTestRecords', () => {
  const controls = [
    control('tls', 'P90D'),
    control('patching', 'P30D'),
    control('pentest', 'P365D'),
  ];
  const pairs = Array.from(
    { length: 40 },
    (_, i) => `component:default/service-${i}`,
  ).flatMap(entityRef => controls.map(c => ({ entityRef, control: c })));

  it('is deterministic and idempotent by external id', () => {
    const first = pairs.flatMap(p => demoTestRecords({ ...p, now }));
    const again = pairs.flatMap(p => demoTestRecords({ ...p, now }));
    expect(again).toEqual(first);
    const ids = first.map(r => r.externalId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never dates a test in the future and keeps history in order', () => {
    for (const pair of pairs) {
      const records = demoTestRecords({ ...pair, now });
      const times = records.map(r => DateTime.fromISO(r.testedAt!).toMillis());
      expect(times.every(t => t <= now.toMillis())).toBe(true);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });

  it('gives a realistic mix of every status the posture knows', () => {
    const statuses = new Set(
      pairs.map(pair => {
        const records = demoTestRecords({ ...pair, now });
        const latest = records[records.length - 1];
        return controlStatus({
          cadence: pair.control.cadence,
          latest: latest && {
            result: latest.result,
            testedAt: latest.testedAt!,
          },
          now: now.toJSDate(),
        });
      }),
    );
    expect([...statuses].sort()).toEqual([
      'failing',
      'overdue',
      'passing',
      'untested',
    ]);
  });
});

describe('seed', () => {
  const example = 'component:default/payments-api';
  const added = 'component:default/my-own-service';
  const exampleControl = control('tls', 'P90D');
  const addedControl = control('my-own-control', 'P30D');

  /** The plugin's API as the seeder sees it, recording every write. */
  function fakeApi() {
    const writes: Array<{ path: string; body: any }> = [];
    const api = async (
      path: string,
      init: { method?: string; body?: any } = {},
    ): Promise<any> => {
      if (init.method === 'POST') {
        writes.push({ path, body: init.body });
        if (path === '/incidents') return { id: 'i-1', version: 0 };
        if (path.startsWith('/incidents/')) return { id: 'i-1', version: 1 };
        return {};
      }
      if (path.startsWith('/test-records')) return { items: [], totalCount: 0 };
      if (path.startsWith('/posture?')) {
        return {
          items: [{ entityRef: example }, { entityRef: added }],
          totalCount: 2,
        };
      }
      // Both entities have both controls: the user's own control applies to
      // the example service too.
      return {
        controls: [{ control: exampleControl }, { control: addedControl }],
      };
    };
    return { api, writes };
  }

  const logger = { info: jest.fn() } as any;
  const isExample = (ref: string) =>
    ref === example || ref === exampleControl.ref;

  it('writes only for the example organisation, never for what a user added', async () => {
    const { api, writes } = fakeApi();
    await expect(seed({ api, logger, isExample, now })).resolves.toBe(true);
    expect(writes.length).toBeGreaterThan(0);
    const touched = JSON.stringify(writes);
    expect(touched).not.toContain(added);
    expect(touched).not.toContain(addedControl.ref);
  });

  it('marks everything it writes as demo data, where the UI shows it', async () => {
    const { api, writes } = fakeApi();
    await seed({ api, logger, isExample, now });
    const marked = writes.flatMap(({ path, body }) => {
      if (path === '/test-records/batch') {
        return body.records.map((r: any) => r.notes);
      }
      if (path === '/reviews') return [body.findings];
      if (path === '/incidents') return [body.title, body.description];
      if (path === '/exceptions') return [body.justification];
      return [];
    });
    expect(marked.length).toBeGreaterThan(0);
    for (const text of marked) expect(text).toMatch(/demo/i);
  });

  it('waits while no example entity has a posture yet', async () => {
    const { api, writes } = fakeApi();
    await expect(
      seed({ api, logger, isExample: () => false, now }),
    ).resolves.toBe(false);
    expect(writes).toEqual([]);
  });
});
