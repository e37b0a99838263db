import { Entity } from '@backstage/catalog-model';
import {
  AdvisoryFinding,
  ANNOTATION_KEV_PRODUCTS,
  ANNOTATION_PURLS,
  ANNOTATION_SBOM,
  securityAdvisoryManagePermission,
  securityAdvisoryUpdatePermission,
  securityPostureReadPermission,
  securityReportReadPermission,
  securityTestRecordCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  createMemoryUrlReader,
  FIXTURE_FEEDS,
  loadAdvisoryFixtures,
  MemoryUrlReader,
} from '../__testUtils__/memoryUrlReader';
import {
  allow,
  as,
  auditorEvent,
  refs,
  setPermissions,
  startSecurityBackend,
  testCatalog,
} from '../__testUtils__/securityBackend';

const base = '/api/security-management';
const MANAGE = securityAdvisoryManagePermission.name;
const UPDATE = securityAdvisoryUpdatePermission.name;
const POSTURE_READ = securityPostureReadPermission.name;
const REPORT_READ = securityReportReadPermission.name;

const TAR = 'GHSA-34x7-hfp2-rc4v';
const TAR_7_5_3 = 'GHSA-8qq5-rm4j-mr97';
const TAR_7_5_4 = 'GHSA-r6q2-hw4h-h46w';
const ELLIPTIC = 'GHSA-848j-6mx2-7j84';
const WITHDRAWN = 'GHSA-qmq6-f8pr-cx5x';
/** Apache Superset in the KEV catalog; CISA's due date was 2024-01-29. */
const SUPERSET = 'CVE-2023-27524';

const shop = 'component:default/web-shop';
const broken = 'component:default/broken-sbom';
const SHOP_SBOM = 'https://git.example.com/web-shop/sbom.cdx.json';
const BROKEN_SBOM = 'https://ci.example.com/broken/sbom.json';

/** A small CycloneDX 1.5 SBOM of npm packages. */
function sbom(packages: Record<string, string>): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: { component: { type: 'application', name: 'web-shop' } },
    components: Object.entries(packages).map(([name, version]) => ({
      type: 'library',
      'bom-ref': `${name}@${version}`,
      name,
      version,
      purl: `pkg:npm/${name}@${version}`,
    })),
  });
}

function component(
  name: string,
  annotations: Record<string, string>,
  owner = 'team-b',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'experimental', owner },
  };
}

/**
 * The test catalog, with: the ledger declaring purls, payments-api running
 * a product in the KEV catalog, a web shop whose SBOM sits beside its
 * catalog file, and a service whose SBOM is not JSON.
 */
function catalog(): Entity[] {
  return [
    ...testCatalog().map(entity => {
      const annotations = { ...entity.metadata.annotations };
      if (entity.metadata.name === 'ledger') {
        annotations[ANNOTATION_PURLS] =
          'pkg:npm/tar@6.2.1, pkg:npm/elliptic@6.6.1, pkg:npm/express@4.22.3';
      } else if (entity.metadata.name === 'payments-api') {
        annotations[ANNOTATION_KEV_PRODUCTS] = 'apache:superset';
      } else {
        return entity;
      }
      return { ...entity, metadata: { ...entity.metadata, annotations } };
    }),
    component(
      'web-shop',
      {
        'backstage.io/managed-by-location':
          'url:https://git.example.com/web-shop/catalog-info.yaml',
        [ANNOTATION_SBOM]: './sbom.cdx.json',
      },
      'team-a',
    ),
    component('broken-sbom', { [ANNOTATION_SBOM]: BROKEN_SBOM }),
  ];
}

const config = {
  securityManagement: {
    advisories: {
      feeds: [
        { id: 'github', type: 'osv', target: FIXTURE_FEEDS.osv },
        { id: 'kev', type: 'kev', target: FIXTURE_FEEDS.kev },
      ],
    },
  },
};

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'advisory routes on %s',
  databaseId => {
    let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;
    let reader: MemoryUrlReader;

    beforeEach(async () => {
      reader = createMemoryUrlReader({
        [SHOP_SBOM]: sbom({ tar: '6.2.1', uuid: '9.0.1', express: '4.22.3' }),
        [BROKEN_SBOM]: 'this is not JSON',
      });
      loadAdvisoryFixtures(reader);
      ctx = await startSecurityBackend({
        knex: await databases.init(databaseId),
        entities: catalog(),
        config,
        urlReader: reader,
      });
    });

    afterEach(async () => {
      await ctx.backend.stop();
    });

    function grant(...names: string[]) {
      setPermissions(ctx.permissions, allow(...names));
    }

    async function refresh() {
      grant(MANAGE);
      const res = await request(ctx.server)
        .post(`${base}/advisories/refresh`)
        .set(as.user('sec'));
      expect(res.status).toBe(200);
      return res.body;
    }

    async function findings(query: Record<string, unknown> = {}) {
      grant(REPORT_READ);
      const res = await request(ctx.server)
        .get(`${base}/advisories/findings`)
        .query(query)
        .set(as.user());
      expect(res.status).toBe(200);
      return res.body as {
        items: AdvisoryFinding[];
        totalCount: number;
        counts: Record<string, unknown>;
      };
    }

    async function entityAdvisories(entityRef: string, all = false) {
      grant(POSTURE_READ);
      const res = await request(ctx.server)
        .get(`${base}/advisories/entity`)
        .query({ entityRef, all })
        .set(as.user());
      expect(res.status).toBe(200);
      return res.body;
    }

    /** The last event the auditor mock handed out for an event id. */
    async function lastAuditorEvent(eventId: string) {
      const calls = ctx.auditor.createEvent.mock.calls;
      const index = calls
        .map(([options]) => options.eventId)
        .lastIndexOf(eventId);
      expect(index).toBeGreaterThanOrEqual(0);
      return (await ctx.auditor.createEvent.mock.results[index].value) as {
        success: jest.Mock;
        fail: jest.Mock;
      };
    }

    const ids = (items: AdvisoryFinding[]) =>
      items
        .map(finding => `${finding.entityRef} ${finding.advisory.id}`)
        .sort();

    it('reads the feeds and matches every entity that declares components, with the reasons', async () => {
      const refused = await request(ctx.server)
        .post(`${base}/advisories/refresh`)
        .set(as.user());
      expect(refused.status).toBe(403);

      const result = await refresh();
      // The store keeps the withdrawn advisory (41); matching leaves it out.
      expect(result.feeds).toEqual([
        expect.objectContaining({
          id: 'github',
          status: 'ok',
          advisoryCount: 41,
        }),
        expect.objectContaining({
          id: 'kev',
          status: 'ok',
          advisoryCount: 1404,
        }),
      ]);
      expect(result).toMatchObject({ entitiesMatched: 4, findingsOpened: 8 });
      expect(await auditorEvent(ctx.auditor, 'advisory-refresh')).toMatchObject(
        {
          success: expect.any(Function),
        },
      );

      const all = await findings();
      expect(ids(all.items)).toEqual([
        `${refs.ledger} ${TAR}`,
        `${refs.ledger} ${ELLIPTIC}`,
        `${refs.ledger} ${TAR_7_5_3}`,
        `${refs.ledger} ${TAR_7_5_4}`,
        `${refs.payments} ${SUPERSET}`,
        `${shop} ${TAR}`,
        `${shop} ${TAR_7_5_3}`,
        `${shop} ${TAR_7_5_4}`,
      ]);
      const ledgerTar = all.items.find(
        f => f.entityRef === refs.ledger && f.advisory.id === TAR,
      )!;
      expect(ledgerTar).toMatchObject({
        owner: refs.teamB,
        status: 'open',
        advisory: { severity: 'high', feedId: 'github', knownExploited: false },
        matches: [
          {
            ecosystem: 'npm',
            package: 'tar',
            purl: 'pkg:npm/tar@6.2.1',
            installedVersion: '6.2.1',
            affectedRange: '<7.5.7',
            source: 'purl',
          },
        ],
        overdue: false,
      });
      const shopTar = all.items.find(
        f => f.entityRef === shop && f.advisory.id === TAR,
      )!;
      expect(shopTar.matches).toEqual([
        {
          ecosystem: 'npm',
          package: 'tar',
          purl: 'pkg:npm/tar@6.2.1',
          installedVersion: '6.2.1',
          affectedRange: '<7.5.7',
          source: 'sbom',
        },
      ]);
      // express 4.22.3 is past every fix; the uuid advisory was withdrawn.
      const everything = await findings({
        status: 'open,acknowledged,mitigated,not-affected,resolved',
      });
      expect(
        everything.items.flatMap(f => f.matches.map(m => m.package)),
      ).not.toContain('express');
      expect(
        (await findings({ advisoryId: WITHDRAWN, status: 'open,resolved' }))
          .totalCount,
      ).toBe(0);

      // The known exploited product: CISA's due date is long past.
      const superset = all.items.find(f => f.advisory.id === SUPERSET)!;
      expect(superset).toMatchObject({
        entityTitle: 'Payments API',
        owner: refs.teamA,
        dueAt: '2024-01-29T23:59:59.999Z',
        overdue: true,
        advisory: {
          source: 'kev',
          feedId: 'kev',
          knownExploited: true,
          kevDueDate: '2024-01-29',
        },
        matches: [
          {
            ecosystem: 'kev',
            package: 'Apache:Superset',
            installedVersion: 'unknown',
            affectedRange:
              'all versions (the KEV catalog names products, not versions)',
            source: 'kev-product',
          },
        ],
      });

      // The SBOM beside the catalog file was read; the broken one says why.
      const web = await entityAdvisories(shop);
      expect(web.sources).toEqual([
        expect.objectContaining({
          kind: 'sbom',
          location: SHOP_SBOM,
          status: 'ok',
          componentCount: 3,
        }),
      ]);
      const brokenOne = await entityAdvisories(broken);
      expect(brokenOne.findings).toEqual([]);
      expect(brokenOne.sources).toEqual([
        expect.objectContaining({
          kind: 'sbom',
          location: BROKEN_SBOM,
          status: 'error',
          error: expect.stringContaining('The SBOM is not JSON'),
        }),
      ]);
      grant(REPORT_READ);
      const feeds = await request(ctx.server)
        .get(`${base}/advisories/feeds`)
        .set(as.user());
      expect(feeds.status).toBe(200);
      expect(feeds.body.componentErrors).toEqual(brokenOne.sources);
      expect(
        feeds.body.feeds.map((f: { advisoryCount: number }) => f.advisoryCount),
      ).toEqual([41, 1404]);
    });

    it('runs the same cycle on its schedule', async () => {
      await ctx.scheduler.triggerTask('security-management-advisories');
      expect((await findings()).totalCount).toBe(8);
      expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'advisory-refresh',
          meta: { trigger: 'schedule' },
        }),
      );
    });

    it('keeps the advisories and findings of a feed that turns bad, and names the file', async () => {
      const first = await refresh();
      const before = await findings();
      reader.set(`${FIXTURE_FEEDS.osv}${TAR}.json`, '{ "id": "GHSA-34x7-');

      const second = await refresh();
      const github = second.feeds.find(
        (f: { id: string }) => f.id === 'github',
      );
      expect(github).toMatchObject({
        status: 'error',
        advisoryCount: 41,
        lastSuccessAt: first.feeds[0].lastSuccessAt,
        error: expect.stringContaining(`${TAR}.json is not valid JSON`),
      });
      expect(second.feeds[1]).toMatchObject({ id: 'kev', status: 'ok' });
      expect(second).toMatchObject({ findingsOpened: 0, findingsResolved: 0 });
      expect(await findings()).toEqual(before);
    });

    it('keeps the findings of an entity while its SBOM cannot be read, and resolves them at once when it publishes a fixed one', async () => {
      await refresh();
      reader.files.delete(SHOP_SBOM);
      grant(UPDATE);
      const unreadable = await request(ctx.server)
        .post(`${base}/advisories/entity/refresh`)
        .set(as.ci())
        .send({ entityRef: shop });
      expect(unreadable.status).toBe(200);
      expect(unreadable.body.counts.total).toBe(3);
      expect(unreadable.body.sources).toEqual([
        expect.objectContaining({
          status: 'error',
          error: `The SBOM could not be used: ${SHOP_SBOM} could not be read: no such file`,
        }),
      ]);

      reader.set(
        SHOP_SBOM,
        sbom({ tar: '7.5.7', uuid: '9.0.1', express: '4.22.3' }),
      );

      grant(POSTURE_READ);
      const refused = await request(ctx.server)
        .post(`${base}/advisories/entity/refresh`)
        .set(as.ci())
        .send({ entityRef: shop });
      expect(refused.status).toBe(403);

      grant(UPDATE);
      const started = performance.now();
      const res = await request(ctx.server)
        .post(`${base}/advisories/entity/refresh`)
        .set(as.ci())
        .send({ entityRef: 'component:web-shop' });
      const elapsed = performance.now() - started;
      process.stdout.write(
        `re-read and matched one entity's SBOM in ${elapsed.toFixed(0)} ms\n`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: shop,
        findings: [],
        counts: { total: 0 },
        sources: [expect.objectContaining({ status: 'ok', componentCount: 3 })],
      });
      const resolved = await findings({ entityRef: shop, status: 'resolved' });
      expect(
        resolved.items.map(f => [f.advisory.id, f.note, f.matches]),
      ).toEqual(
        [TAR, TAR_7_5_3, TAR_7_5_4].map(id => [
          id,
          'No component matches any more',
          [],
        ]),
      );
      // The other entities are untouched.
      expect((await findings()).totalCount).toBe(5);

      grant(UPDATE);

      const unknown = await request(ctx.server)
        .post(`${base}/advisories/entity/refresh`)
        .set(as.ci())
        .send({ entityRef: 'component:default/ghost' });
      expect(unknown.status).toBe(404);
      const invalid = await request(ctx.server)
        .post(`${base}/advisories/entity/refresh`)
        .set(as.ci())
        .send({ entityRef: 'not a ref' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.message).toContain('entityRef');
    });

    it('moves a finding through its lifecycle with the permission, audited', async () => {
      await refresh();
      const [finding] = (
        await findings({ entityRef: refs.ledger, advisoryId: ELLIPTIC })
      ).items;
      const transition = (body: object) =>
        request(ctx.server)
          .post(`${base}/advisories/findings/${finding.id}/transition`)
          .set(as.user('bob'))
          .send(body);

      grant(POSTURE_READ, REPORT_READ);
      const refused = await transition({ status: 'acknowledged' });
      expect(refused.status).toBe(403);
      expect((await findings({ advisoryId: ELLIPTIC })).items[0]).toEqual(
        finding,
      );

      grant(UPDATE);
      const noJustification = await transition({
        status: 'not-affected',
        note: 'We never verify signatures',
      });
      expect(noJustification.status).toBe(400);
      expect(noJustification.body.error.message).toContain('justification');
      const noNote = await transition({ status: 'mitigated' });
      expect(noNote.status).toBe(400);
      expect(noNote.body.error.message).toContain('note');

      const ok = await transition({
        status: 'not-affected',
        justification: 'vulnerable_code_not_in_execute_path',
        note: 'We never verify signatures',
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        id: finding.id,
        status: 'not-affected',
        justification: 'vulnerable_code_not_in_execute_path',
        note: 'We never verify signatures',
        updatedBy: 'user:default/bob',
      });
      const event = await lastAuditorEvent('advisory-finding-transition');
      expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'advisory-finding-transition',
          severityLevel: 'medium',
        }),
      );
      expect(event.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({
          findingId: finding.id,
          entityRef: refs.ledger,
          advisoryId: ELLIPTIC,
          status: 'not-affected',
        }),
      });
      // The status it already has is a conflict.
      expect(
        (
          await transition({
            status: 'not-affected',
            justification: 'vulnerable_code_not_in_execute_path',
            note: 'Again',
          })
        ).status,
      ).toBe(409);
      grant(UPDATE);
      const missing = await request(ctx.server)
        .post(`${base}/advisories/findings/no-such-finding/transition`)
        .set(as.user('bob'))
        .send({ status: 'acknowledged' });
      expect(missing.status).toBe(404);

      // Not active any more: gone from the default list, kept in the entity's.
      expect(
        ids((await findings({ entityRef: refs.ledger })).items),
      ).not.toContain(`${refs.ledger} ${ELLIPTIC}`);
      const ledger = await entityAdvisories(refs.ledger, true);
      expect(
        ledger.findings.map((f: AdvisoryFinding) => f.status).sort(),
      ).toEqual(['not-affected', 'open', 'open', 'open']);
    });

    it('shows findings only to those who may read them, and filters and counts them', async () => {
      await refresh();
      grant(POSTURE_READ);
      expect(
        (
          await request(ctx.server)
            .get(`${base}/advisories/findings`)
            .set(as.user())
        ).status,
      ).toBe(403);
      expect(
        (
          await request(ctx.server)
            .get(`${base}/advisories/feeds`)
            .set(as.user())
        ).status,
      ).toBe(403);
      grant(REPORT_READ);
      expect(
        (
          await request(ctx.server)
            .get(`${base}/advisories/entity`)
            .query({ entityRef: refs.ledger })
            .set(as.user())
        ).status,
      ).toBe(403);

      expect((await findings()).counts).toEqual({
        total: 8,
        overdue: 1,
        knownExploited: 1,
        bySeverity: { critical: 0, high: 6, moderate: 0, low: 1, unknown: 1 },
      });
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [
          { severity: 'low,unknown' },
          [`${refs.ledger} ${ELLIPTIC}`, `${refs.payments} ${SUPERSET}`],
        ],
        [{ knownExploited: 'true' }, [`${refs.payments} ${SUPERSET}`]],
        [{ overdue: 'true' }, [`${refs.payments} ${SUPERSET}`]],
        [
          { owner: 'team-a', severity: 'high' },
          [`${shop} ${TAR}`, `${shop} ${TAR_7_5_3}`, `${shop} ${TAR_7_5_4}`],
        ],
        [
          { entityRef: 'component:default/Ledger', advisoryId: TAR },
          [`${refs.ledger} ${TAR}`],
        ],
        [{ status: 'resolved' }, []],
      ];
      for (const [query, expected] of cases) {
        const page = await findings(query);
        expect({ query, found: ids(page.items) }).toEqual({
          query,
          found: expected,
        });
        expect(page.totalCount).toBe(expected.length);
        expect(page.counts.total).toBe(expected.length);
      }
      const paged = await findings({ limit: 2, offset: 0 });
      expect(paged.items).toHaveLength(2);
      expect(paged.totalCount).toBe(8);

      const bad = await request(ctx.server)
        .get(`${base}/advisories/findings`)
        .query({ severity: 'urgent' })
        .set(as.user());
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('severity');
    });

    it('takes 10 points off the posture of an entity with an overdue advisory', async () => {
      grant(securityTestRecordCreatePermission.name);
      for (const controlRef of [refs.tls, refs.mfa]) {
        const posted = await request(ctx.server)
          .post(`${base}/test-records`)
          .set(as.user())
          .send({ controlRef, entityRef: refs.payments, result: 'pass' });
        expect(posted.status).toBe(201);
      }
      const posture = async () => {
        grant(POSTURE_READ);
        const res = await request(ctx.server)
          .get(`${base}/posture/entity`)
          .query({ entityRef: refs.payments })
          .set(as.user());
        expect(res.status).toBe(200);
        return res.body;
      };
      const before = await posture();
      expect(before.advisories).toEqual({ active: 0, overdue: 0 });
      expect(before.score).toBe(90);

      await refresh();
      const after = await posture();
      expect(after.advisories).toEqual({ active: 1, overdue: 1 });
      expect(after.score).toBe(before.score - 10);

      const [superset] = (await findings({ advisoryId: SUPERSET })).items;
      grant(UPDATE);
      const mitigated = await request(ctx.server)
        .post(`${base}/advisories/findings/${superset.id}/transition`)
        .set(as.user())
        .send({ status: 'mitigated', note: 'Superset is behind the VPN only' });
      expect(mitigated.status).toBe(200);
      const handled = await posture();
      expect(handled.advisories).toEqual({ active: 0, overdue: 0 });
      expect(handled.score).toBe(before.score);
    });
  },
);
