import { InputError } from '@backstage/errors';
import { reportInstants } from './period';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

describe('reportInstants', () => {
  it('defaults to now and the 90 days before it', () => {
    expect(reportInstants({}, NOW)).toEqual({
      asOf: NOW.getTime(),
      from: NOW.getTime() - 90 * DAY,
      to: NOW.getTime(),
    });
  });

  it('ends the default period at as-of, or at its own end', () => {
    const asOf = '2026-03-31T23:59:59.999Z';
    expect(reportInstants({ asOf }, NOW)).toEqual({
      asOf: Date.parse(asOf),
      from: Date.parse(asOf) - 90 * DAY,
      to: Date.parse(asOf),
    });
    const to = '2026-03-01T00:00:00.000Z';
    expect(reportInstants({ asOf, to }, NOW).from).toBe(
      Date.parse(to) - 90 * DAY,
    );
  });

  it('refuses an as-of in the future, a period ending after it, or starting after its end', () => {
    expect(() =>
      reportInstants({ asOf: '2026-06-01T12:06:00.000Z' }, NOW),
    ).toThrow(
      new InputError(
        'Invalid query parameters: asOf: 2026-06-01T12:06:00.000Z is more than 5 minutes in the future',
      ),
    );
    expect(() =>
      reportInstants({ to: '2026-06-01T12:01:00.000Z' }, NOW),
    ).toThrow('to: must not be after asOf');
    expect(() =>
      reportInstants(
        { asOf: '2026-05-01T00:00:00.000Z', from: '2026-05-02T00:00:00.000Z' },
        NOW,
      ),
    ).toThrow('from: must not be after asOf, where the period ends by default');
  });
});
