import { mockServices } from '@backstage/backend-test-utils';
import {
  IncidentSeverity,
  IncidentStatus,
  RollupDimension,
  SecurityReport,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { SecurityStores } from '../database';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  ALL_INCIDENTS,
  BACKUP,
  CART,
  createStores,
  DAY,
  DB,
  DUE_SOON,
  MFA,
  NOW,
  PAY,
  record,
  SHOP,
  test,
  TLS,
} from '../__testUtils__/stores';
import { DatabaseReportStore } from './DatabaseReportStore';
import { ReportBuilder } from './ReportBuilder';

jest.setTimeout(60_000);

const HOUR = 60 * 60 * 1000;
/** An instant `days` days (and `hours` hours) before NOW. */
const before = (days: number, hours = 0) =>
  NOW.getTime() - days * DAY - hours * HOUR;
const iso = (millis: number) => new Date(millis).toISOString();
const actor = { ref: 'user:default/responder' };

describe('ReportBuilder', () => {
  const databases = createTestDatabases();

  async function setup(databaseId: Parameters<typeof createStores>[1]) {
    const { knex, stores } = await createStores(databases, databaseId);
    const store = await DatabaseReportStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    const builder = new ReportBuilder({
      applicability: stores.applicability,
      posture: stores.posture,
      store,
      reviewDueSoon: DUE_SOON,
    });
    return { knex, stores, builder };
  }

  /** Opens an incident at `reported` and moves it through `steps`. */
  async function incident(
    stores: SecurityStores,
    options: {
      title: string;
      severity: IncidentSeverity;
      entity: string;
      reported: number;
      steps?: Array<[IncidentStatus, number]>;
    },
  ): Promise<string> {
    const created = await stores.incidents.createIncident({
      input: {
        title: options.title,
        description: '',
        severity: options.severity,
        affectedEntities: [options.entity],
        failedControls: [],
        externalReferences: [],
        reportedAt: iso(options.reported),
      },
      actor,
      now: new Date(options.reported),
    });
    let version = created.version;
    for (const [to, at] of options.steps ?? []) {
      const moved = await stores.incidents.transitionIncident({
        id: created.id,
        to,
        version,
        actor,
        now: new Date(at),
      });
      version = moved.version;
    }
    return created.id;
  }

  /** The phases from reported to closed, `hours` apart after `start`. */
  function lifecycle(
    start: number,
    hours: Partial<Record<IncidentStatus, number>>,
  ) {
    return (Object.entries(hours) as Array<[IncidentStatus, number]>).map(
      ([status, h]): [IncidentStatus, number] => [status, start + h * HOUR],
    );
  }

  /**
   * Tests, exceptions and reviews around NOW − 10 days: what happened after
   * that instant changes the live posture but not the one as of it.
   */
  async function seedHistory(stores: SecurityStores) {
    await record(stores, [
      test(TLS, SHOP, 'pass', iso(before(11))),
      test(TLS, SHOP, 'fail', iso(before(9))),
      test(MFA, SHOP, 'pass', iso(before(45))),
      test(TLS, CART, 'pass', iso(before(10))),
    ]);
    const exception = async (
      controlRef: string,
      decided: number,
      expires: number,
    ) => {
      const requested = await stores.exceptions.requestException({
        input: {
          controlRef,
          entityRef: PAY,
          justification: 'Vendor fix pending',
          expiresAt: iso(expires),
        },
        requestedBy: 'user:default/dev',
        now: new Date(before(30)),
      });
      await stores.exceptions.decideException({
        id: requested.id,
        decision: 'approved',
        decidedBy: 'user:default/ciso',
        now: new Date(decided),
      });
    };
    // Approved after NOW − 10 days; expires after NOW.
    await exception(TLS, before(5), before(-30));
    // Approved before; expired between NOW − 10 days and NOW.
    await exception(MFA, before(20), before(5));
    await stores.reviews.createReview({
      input: {
        entityRef: SHOP,
        outcome: 'approved',
        findings: 'ok',
        reviewedAt: iso(before(5)),
        nextDueAt: iso(before(5) + 90 * DAY),
      },
      reviewer: 'user:default/ciso',
    });
    await stores.reviews.createReview({
      input: {
        entityRef: CART,
        outcome: 'approved',
        findings: 'ok',
        reviewedAt: iso(before(200)),
        nextDueAt: iso(before(20)),
      },
      reviewer: 'user:default/ciso',
    });
  }

  function summarize(report: SecurityReport) {
    return Object.fromEntries(
      report.entities.map(e => [
        e.entityRef,
        { counts: e.counts, review: e.review.status, score: e.score },
      ]),
    );
  }

  const counts = (c: Partial<Record<string, number>>) => ({
    passing: 0,
    failing: 0,
    overdue: 0,
    untested: 0,
    excepted: 0,
    ...c,
  });

  it.each(databases.eachSupportedId())(
    'computes posture as of a past instant from what was known then, %p',
    async databaseId => {
      const { stores, builder } = await setup(databaseId);
      await seedHistory(stores);

      const asOf = before(10);
      const past = await builder.build({
        instants: { asOf, from: before(100), to: asOf },
        live: false,
        incidentAccess: ALL_INCIDENTS,
      });
      expect(past.asOf).toBe(iso(asOf));
      expect(summarize(past)).toEqual({
        // The fail 9 days ago and the review 5 days ago are after as-of.
        [SHOP]: {
          counts: counts({ passing: 1, overdue: 1 }),
          review: 'never-reviewed',
          score: 53,
        },
        // A test at exactly as-of counts.
        [CART]: {
          counts: counts({ passing: 1 }),
          review: 'overdue',
          score: 90,
        },
        // TLS approved only after as-of; MFA's exception still ran then.
        [PAY]: {
          counts: counts({ excepted: 1, untested: 2 }),
          review: 'never-reviewed',
          score: 7,
        },
        [DB]: { counts: counts({}), review: 'never-reviewed', score: null },
      });

      const live = await builder.build({
        instants: { asOf: NOW.getTime(), from: before(90), to: NOW.getTime() },
        live: true,
        incidentAccess: ALL_INCIDENTS,
      });
      expect(summarize(live)).toMatchObject({
        [SHOP]: {
          counts: counts({ failing: 1, overdue: 1 }),
          review: 'current',
        },
        [PAY]: { counts: counts({ excepted: 1, untested: 2 }) },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'gives the same report as of now from history as from the posture store, %p',
    async databaseId => {
      const { knex, stores, builder } = await setup(databaseId);
      await seedHistory(stores);
      await record(stores, [test(BACKUP, PAY, 'error', iso(before(2)))]);
      await incident(stores, {
        title: 'Open on the shop',
        severity: 'high',
        entity: SHOP,
        reported: before(3),
        steps: [['triaged', before(2)]],
      });
      await incident(stores, {
        title: 'Closed on pay',
        severity: 'low',
        entity: PAY,
        reported: before(8),
        steps: lifecycle(before(8), {
          triaged: 1,
          contained: 2,
          eradicated: 3,
          recovered: 4,
          closed: 5,
        }),
      });
      await seedOverdueAdvisory(knex, PAY);

      const instants = {
        asOf: NOW.getTime(),
        from: before(90),
        to: NOW.getTime(),
      };
      const request = { instants, incidentAccess: ALL_INCIDENTS };
      const live = await builder.build({ ...request, live: true });
      const historic = await builder.build({ ...request, live: false });
      expect({ ...historic, generatedAt: '' }).toEqual({
        ...live,
        generatedAt: '',
      });
      expect(live.entities.find(e => e.entityRef === PAY)?.advisories).toEqual({
        active: 1,
        overdue: 1,
      });
      // The roll-ups agree with the posture store's.
      const rollups: Record<RollupDimension, keyof SecurityReport> = {
        owner: 'byOwner',
        system: 'bySystem',
        domain: 'byDomain',
      };
      for (const [by, field] of Object.entries(rollups)) {
        const stored = await stores.posture.rollup({
          by: by as RollupDimension,
          now: NOW,
          reviewDueSoon: DUE_SOON,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(historic[field]).toEqual(stored.items);
      }
    },
  );

  /** An open advisory finding on an entity, past its due date. */
  async function seedOverdueAdvisory(knex: Knex, entityRef: string) {
    await knex('advisory_findings').insert({
      id: 'finding-1',
      entity_ref: entityRef,
      advisory_id: 'GHSA-1',
      severity: 'high',
      known_exploited: false,
      status: 'open',
      due_at: before(20),
      matches: '[]',
      first_seen_at: before(40),
      updated_at: before(40),
    });
    await knex('advisory_finding_events').insert({
      finding_id: 'finding-1',
      at: before(40),
      actor: 'system',
      to_status: 'open',
    });
  }

  describe('incidents', () => {
    /**
     * Within the period [NOW − 30 days, NOW]: one contained in 4 hours and
     * closed in 48, one contained in 10 and still open, one open since
     * before it; and one reported, contained and closed before it.
     */
    async function seedIncidents(stores: SecurityStores) {
      await incident(stores, {
        title: 'Leaked key',
        severity: 'high',
        entity: SHOP,
        reported: before(20),
        steps: lifecycle(before(20), {
          triaged: 1,
          contained: 4,
          eradicated: 20,
          recovered: 30,
          closed: 48,
        }),
      });
      await incident(stores, {
        title: 'Phishing',
        severity: 'medium',
        entity: CART,
        reported: before(10),
        steps: lifecycle(before(10), { triaged: 2, contained: 10 }),
      });
      await incident(stores, {
        title: 'Slow burn',
        severity: 'critical',
        entity: PAY,
        reported: before(40),
        steps: [['triaged', before(39)]],
      });
      await incident(stores, {
        title: 'Old news',
        severity: 'high',
        entity: SHOP,
        reported: before(60),
        steps: lifecycle(before(60), {
          triaged: 1,
          contained: 24,
          eradicated: 25,
          recovered: 26,
          closed: 100,
        }),
      });
    }

    const period = { asOf: NOW.getTime(), from: before(30), to: NOW.getTime() };

    it.each(databases.eachSupportedId())(
      'counts the incidents of the period, with mean times to contain and resolve, %p',
      async databaseId => {
        const { stores, builder } = await setup(databaseId);
        await seedIncidents(stores);

        const report = await builder.build({
          instants: period,
          live: false,
          incidentAccess: ALL_INCIDENTS,
        });
        const { items, ...figures } = report.incidents!;
        expect(figures).toEqual({
          open: 2,
          reportedInPeriod: 2,
          containedInPeriod: 2,
          resolvedInPeriod: 1,
          // (4 h + 10 h) / 2, and 48 h; "Old news" is outside the period.
          meanHoursToContain: 7,
          meanHoursToResolve: 48,
          bySeverity: { critical: 1, high: 1, medium: 1, low: 0 },
          byStatus: {
            reported: 0,
            triaged: 1,
            contained: 1,
            eradicated: 0,
            recovered: 0,
            closed: 1,
          },
        });
        expect(items.map(i => [i.title, i.status])).toEqual([
          ['Phishing', 'contained'],
          ['Leaked key', 'closed'],
          ['Slow burn', 'triaged'],
        ]);
        expect(items[1]).toMatchObject({
          reportedAt: iso(before(20)),
          containedAt: iso(before(20) + 4 * HOUR),
          closedAt: iso(before(20) + 48 * HOUR),
          hoursToContain: 4,
          hoursToResolve: 48,
          affectedEntities: [SHOP],
        });
        expect(report.summary.openIncidents).toEqual({
          critical: 1,
          high: 0,
          medium: 1,
          low: 0,
        });
      },
    );

    it.each(databases.eachSupportedId())(
      'knows only what had happened by as-of, %p',
      async databaseId => {
        const { stores, builder } = await setup(databaseId);
        await seedIncidents(stores);

        // 19 days before NOW: "Leaked key" is contained and eradicated but
        // not closed; "Phishing" is not reported yet.
        const asOf = before(19);
        const report = await builder.build({
          instants: { asOf, from: before(30), to: asOf },
          live: false,
          incidentAccess: ALL_INCIDENTS,
        });
        expect(report.incidents).toMatchObject({
          open: 2,
          reportedInPeriod: 1,
          containedInPeriod: 1,
          resolvedInPeriod: 0,
          meanHoursToContain: 4,
          meanHoursToResolve: null,
        });
        const leaked = report.incidents!.items.find(
          i => i.title === 'Leaked key',
        )!;
        expect(leaked.status).toBe('eradicated');
        expect(leaked).not.toHaveProperty('closedAt');
        expect(
          report.entities.find(e => e.entityRef === SHOP)?.openIncidents,
        ).toEqual({ critical: 0, high: 1, medium: 0, low: 0 });
      },
    );

    it.each(databases.eachSupportedId())(
      'counts only the incidents the reader may read, and none for a reader who may read none, %p',
      async databaseId => {
        const { stores, builder } = await setup(databaseId);
        await seedIncidents(stores);

        const highOnly = await builder.build({
          instants: period,
          live: false,
          incidentAccess: {
            allowed: true,
            filter: { rule: 'hasSeverity', severities: ['high'] },
          },
        });
        expect(highOnly.incidents).toMatchObject({
          open: 0,
          reportedInPeriod: 1,
          meanHoursToContain: 4,
          meanHoursToResolve: 48,
          bySeverity: { critical: 0, high: 1, medium: 0, low: 0 },
        });
        expect(highOnly.incidents!.items.map(i => i.title)).toEqual([
          'Leaked key',
        ]);
        expect(highOnly.summary.openIncidents).toEqual({
          critical: 0,
          high: 0,
          medium: 0,
          low: 0,
        });

        for (const live of [true, false]) {
          const none = await builder.build({
            instants: period,
            live,
            incidentAccess: { allowed: false },
          });
          expect(none).not.toHaveProperty('incidents');
          expect(none.summary).not.toHaveProperty('openIncidents');
          for (const item of [
            ...none.entities,
            ...none.byOwner,
            ...none.bySystem,
            ...none.byDomain,
          ]) {
            expect(item).not.toHaveProperty('openIncidents');
          }
        }
      },
    );
  });

  it.each(databases.eachSupportedId())(
    'counts test coverage and exceptions within the period, %p',
    async databaseId => {
      const { stores, builder } = await setup(databaseId);
      await seedHistory(stores);
      // After the period [NOW − 30, NOW − 10] but before as-of (NOW − 5).
      await record(stores, [test(BACKUP, PAY, 'pass', iso(before(7)))]);

      const report = await builder.build({
        instants: { asOf: before(5), from: before(30), to: before(10) },
        live: false,
        incidentAccess: ALL_INCIDENTS,
      });
      const { byControl, ...totals } = report.testCoverage;
      // Six pairs: SHOP×TLS, SHOP×MFA, CART×TLS, PAY×TLS, PAY×MFA, PAY×BACKUP.
      expect(totals).toEqual({
        applicable: 6,
        testedInPeriod: 2,
        passing: 2,
        failing: 0,
        notTestedInPeriod: 4,
        neverTested: 2,
      });
      expect(byControl.find(c => c.controlRef === TLS)).toEqual({
        controlRef: TLS,
        title: 'TLS',
        applicable: 3,
        testedInPeriod: 2,
        passing: 2,
        failing: 0,
        notTestedInPeriod: 1,
        neverTested: 1,
      });

      const { items, ...exceptions } = report.exceptions;
      expect(exceptions).toEqual({
        // TLS on PAY, approved exactly at as-of; MFA on PAY expired exactly
        // at as-of (an expiry is exclusive), after its approval in the period.
        active: 1,
        expiringIn30Days: 0,
        expiredInPeriod: 0,
        requested: 0,
        requestedInPeriod: 2,
        approvedInPeriod: 1,
        rejectedInPeriod: 0,
      });
      expect(items.map(x => [x.controlRef, x.status])).toEqual(
        expect.arrayContaining([
          [TLS, 'approved'],
          [MFA, 'expired'],
        ]),
      );
    },
  );
});
