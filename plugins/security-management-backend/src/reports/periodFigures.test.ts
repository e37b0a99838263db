import { exceptionFigures, exceptionStatusAt } from './periodFigures';
import { ExceptionFacts } from './ReportStore';

const DAY = 24 * 60 * 60 * 1000;
const AS_OF = Date.parse('2026-06-01T00:00:00.000Z');
const d = (days: number) => AS_OF + days * DAY;
const period = { from: d(-90), to: AS_OF, asOf: AS_OF };

function exception(overrides: Partial<ExceptionFacts>): ExceptionFacts {
  return {
    id: 'x',
    controlRef: 'securitycontrol:default/tls',
    entityRef: 'component:default/shop',
    status: 'approved',
    justification: 'legacy',
    requestedBy: 'user:default/dev',
    requestedAt: d(-100),
    decidedBy: 'user:default/ciso',
    decidedAt: d(-95),
    expiresAt: d(60),
    ...overrides,
  };
}

describe('exceptionStatusAt', () => {
  it('is requested until decided, then rejected or approved until its expiry', () => {
    const approved = exception({ decidedAt: d(-10), expiresAt: d(10) });
    expect(exceptionStatusAt(approved, d(-11))).toBe('requested');
    expect(exceptionStatusAt(approved, d(-10))).toBe('approved');
    expect(exceptionStatusAt(approved, d(10))).toBe('expired');
    // Housekeeping has stored `expired`: before the expiry it was approved.
    expect(exceptionStatusAt({ ...approved, status: 'expired' }, d(0))).toBe(
      'approved',
    );
    expect(exceptionStatusAt(exception({ status: 'rejected' }), d(0))).toBe(
      'rejected',
    );
    expect(
      exceptionStatusAt(
        exception({ status: 'requested', decidedAt: undefined }),
        d(0),
      ),
    ).toBe('requested');
  });
});

describe('exceptionFigures', () => {
  it('counts exceptions at as-of and within the period, and lists those', () => {
    const { items, ...figures } = exceptionFigures(
      [
        exception({ id: 'active-long' }),
        exception({ id: 'active-soon', decidedAt: d(-5), expiresAt: d(30) }),
        exception({ id: 'expired', status: 'expired', expiresAt: d(-1) }),
        exception({
          id: 'pending',
          status: 'requested',
          decidedAt: undefined,
          decidedBy: undefined,
          requestedAt: d(-3),
        }),
        exception({
          id: 'rejected',
          status: 'rejected',
          requestedAt: d(-20),
          decidedAt: d(-19),
          expiresAt: d(-200),
        }),
        // Decided after as-of: pending then.
        exception({ id: 'decided-later', decidedAt: d(1) }),
        // Rejected long before the period: not listed.
        exception({
          id: 'old',
          status: 'rejected',
          requestedAt: d(-300),
          decidedAt: d(-299),
        }),
      ],
      period,
    );
    expect(figures).toEqual({
      active: 2,
      expiringIn30Days: 1,
      expiredInPeriod: 1,
      requested: 2,
      requestedInPeriod: 2,
      approvedInPeriod: 1,
      rejectedInPeriod: 1,
    });
    expect(items.map(x => [x.id, x.status])).toEqual([
      ['active-long', 'approved'],
      ['active-soon', 'approved'],
      ['expired', 'expired'],
      ['pending', 'requested'],
      ['rejected', 'rejected'],
      ['decided-later', 'requested'],
    ]);
    expect(items[5]).not.toHaveProperty('decidedAt');
  });
});
