import {
  ControlSummary,
  controlStatus,
} from '@open-itsm/plugin-security-management-common';
import { DateTime } from 'luxon';
import { demoTestRecords } from './demoData';

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
