import { incidentFigures, statusAt } from './incidentFigures';
import { IncidentFacts } from './ReportStore';

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const h = (hours: number) => T0 + hours * HOUR;

function incident(overrides: Partial<IncidentFacts>): IncidentFacts {
  return {
    id: 'i',
    title: 'Incident',
    severity: 'high',
    reportedAt: h(0),
    transitions: [{ at: h(0), to: 'reported' }],
    affectedEntities: ['component:default/shop'],
    ...overrides,
  };
}

/** Reported at 0 h, closed at 10 h, reopened at 100 h. */
const reopened = incident({
  id: 'reopened',
  containedAt: h(2),
  closedAt: h(10),
  transitions: [
    { at: h(0), to: 'reported' },
    { at: h(1), to: 'triaged' },
    { at: h(2), to: 'contained' },
    { at: h(3), to: 'eradicated' },
    { at: h(4), to: 'recovered' },
    { at: h(10), to: 'closed' },
    { at: h(100), to: 'reported' },
  ],
});

describe('statusAt', () => {
  it('follows the last status change at or before the instant', () => {
    expect(statusAt(reopened, h(0) - 1)).toBeUndefined();
    expect(statusAt(reopened, h(2))).toBe('contained');
    expect(statusAt(reopened, h(50))).toBe('closed');
    expect(statusAt(reopened, h(100))).toBe('reported');
  });

  it('is reported before the first recorded change of a back-dated incident', () => {
    const backDated = incident({
      reportedAt: h(0),
      transitions: [{ at: h(5), to: 'reported' }],
    });
    expect(statusAt(backDated, h(1))).toBe('reported');
  });
});

describe('incidentFigures', () => {
  it('counts an incident closed before the period and reopened within it', () => {
    const { figures, open } = incidentFigures([reopened], {
      from: h(50),
      to: h(150),
      asOf: h(150),
    });
    expect(open.map(i => i.id)).toEqual(['reopened']);
    expect(figures).toMatchObject({
      open: 1,
      reportedInPeriod: 0,
      // First contained and first closed before the period.
      containedInPeriod: 0,
      resolvedInPeriod: 0,
      meanHoursToContain: null,
      meanHoursToResolve: null,
      byStatus: { reported: 1, closed: 0 },
    });
    expect(figures.items).toEqual([
      {
        id: 'reopened',
        title: 'Incident',
        severity: 'high',
        status: 'reported',
        reportedAt: new Date(h(0)).toISOString(),
        containedAt: new Date(h(2)).toISOString(),
        closedAt: new Date(h(10)).toISOString(),
        hoursToContain: 2,
        hoursToResolve: 10,
        affectedEntities: ['component:default/shop'],
      },
    ]);
  });

  it('leaves out an incident closed before the period and not reopened in it', () => {
    const { figures } = incidentFigures([reopened], {
      from: h(50),
      to: h(60),
      asOf: h(60),
    });
    expect(figures.items).toEqual([]);
    expect(figures.open).toBe(0);
  });

  it('averages to one decimal over the incidents contained and closed in the period', () => {
    const { figures } = incidentFigures(
      [
        incident({ id: 'a', containedAt: h(1), closedAt: h(3) }),
        incident({ id: 'b', containedAt: h(2.5), closedAt: h(30) }),
        incident({ id: 'c', containedAt: h(1.75) }),
      ],
      { from: h(0), to: h(48), asOf: h(48) },
    );
    expect(figures.meanHoursToContain).toBe(1.8);
    expect(figures.meanHoursToResolve).toBe(16.5);
    expect(figures.containedInPeriod).toBe(3);
    expect(figures.resolvedInPeriod).toBe(2);
  });
});
