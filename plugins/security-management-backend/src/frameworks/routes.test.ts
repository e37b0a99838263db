import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  securityPostureReadPermission,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  allow,
  as,
  refs,
  setPermissions,
  startSecurityBackend,
  testCatalog,
} from '../__testUtils__/securityBackend';
import { DatabaseFrameworkStore } from './DatabaseFrameworkStore';

const base = '/api/security-management';
const POSTURE_READ = securityPostureReadPermission.name;
const REPORT_READ = securityReportReadPermission.name;
const NIST = 'nist-sp-800-53-rev5';

jest.setTimeout(30_000);

function requirement(controlId: string, label: string, title: string): Entity {
  return {
    apiVersion: 'security.open-itsm.dev/v1alpha1',
    kind: 'SecurityRequirement',
    metadata: {
      name: `${NIST}-${controlId}`,
      namespace: 'default',
      title,
      annotations: { 'security.open-itsm.dev/oscal-import': 'nist-low' },
    },
    spec: {
      framework: NIST,
      frameworkTitle: 'NIST SP 800-53 Rev 5 LOW baseline',
      controlId,
      label,
      statement: `${title}.`,
      family: 'Family',
      owner: 'group:default/security-team',
    },
  };
}

describe('framework routes', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    const broken = requirement('zz-1', 'ZZ-1', 'Broken');
    delete (broken.spec as Record<string, unknown>).label;
    ctx = await startSecurityBackend({
      entities: [
        ...testCatalog(),
        requirement('sc-8', 'SC-8', 'Transmission Confidentiality'),
        requirement('ac-2', 'AC-2', 'Account Management'),
        broken,
      ],
    });
    await ctx.scheduler.triggerTask('security-management-framework-sync');
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  const get = (path: string) =>
    request(ctx.server).get(`${base}${path}`).set(as.user());

  it("answers a service's Statement of Applicability as JSON", async () => {
    setPermissions(ctx.permissions, allow(POSTURE_READ));
    const res = await get(
      `/frameworks/soa?entityRef=${refs.payments}&framework=${NIST}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: refs.payments,
      entityTitle: 'Payments API',
      framework: NIST,
      source: 'imported',
      summary: { requirementCount: 2, applicableCount: 1 },
    });
    expect(res.body.requirements).toEqual([
      expect.objectContaining({
        label: 'AC-2',
        applicable: false,
        justification: 'No control in the library satisfies this requirement.',
      }),
      expect.objectContaining({
        label: 'SC-8',
        requirementRef: `securityrequirement:default/${NIST}-sc-8`,
        applicable: true,
        status: 'untested',
        controls: [
          {
            controlRef: refs.tls,
            title: 'Encrypt data in transit',
            applies: true,
            status: 'untested',
          },
        ],
      }),
    ]);
  });

  it('downloads it as CSV, one row per requirement', async () => {
    setPermissions(ctx.permissions, allow(POSTURE_READ));
    const res = await get(
      `/frameworks/soa?entityRef=${refs.payments}&framework=${NIST}&format=csv`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="soa-payments-api-${NIST}.csv"`,
    );
    expect(res.text.split('\r\n')).toEqual([
      'framework,requirement,id,title,family,applicable,status,justification,controls,lastTestedAt,evidence',
      `${NIST},AC-2,ac-2,Account Management,Family,no,,No control in the library satisfies this requirement.,,,`,
      `${NIST},SC-8,sc-8,Transmission Confidentiality,Family,yes,untested,,Encrypt data in transit: untested,,`,
      '',
    ]);
  });

  it('names the bad query parameter, and 404s what is unknown', async () => {
    setPermissions(ctx.permissions, allow(POSTURE_READ, REPORT_READ));
    const missing = await get(`/frameworks/soa?framework=${NIST}`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('entityRef');
    const badFramework = await get(
      `/frameworks/soa?entityRef=${refs.payments}&framework=NIST%20800-53`,
    );
    expect(badFramework.status).toBe(400);
    expect(badFramework.body.error.message).toContain(
      'framework: must be a framework id such as nist-sp-800-53-rev5',
    );
    const badFormat = await get(
      `/frameworks/soa?entityRef=${refs.payments}&framework=${NIST}&format=pdf`,
    );
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.message).toContain('format');

    const unknownEntity = await get(
      `/frameworks/soa?entityRef=component:default/ghost&framework=${NIST}`,
    );
    expect(unknownEntity.status).toBe(404);
    const unknownFramework = await get(
      `/frameworks/coverage?framework=soc2-2017`,
    );
    expect(unknownFramework.status).toBe(404);
    expect(unknownFramework.body.error.message).toContain(
      "No requirement of framework 'soc2-2017' is known",
    );
  });

  it('serves coverage, frameworks and imports to those who may read them', async () => {
    setPermissions(ctx.permissions, allow(POSTURE_READ));
    expect((await get(`/frameworks/coverage?framework=${NIST}`)).status).toBe(
      403,
    );
    expect((await get('/frameworks/imports')).status).toBe(403);
    const frameworks = await get('/frameworks');
    expect(frameworks.status).toBe(200);
    // The invalid requirement is not stored.
    expect(frameworks.body.items).toEqual([
      {
        framework: NIST,
        title: 'NIST SP 800-53 Rev 5 LOW baseline',
        source: 'imported',
        requirementCount: 2,
        controlCount: 1,
      },
    ]);

    setPermissions(ctx.permissions, allow(REPORT_READ));
    expect(
      (
        await get(
          `/frameworks/soa?entityRef=${refs.payments}&framework=${NIST}`,
        )
      ).status,
    ).toBe(403);
    const coverage = await get(`/frameworks/coverage?framework=${NIST}`);
    expect(coverage.status).toBe(200);
    expect(coverage.body.summary).toMatchObject({
      requirementCount: 2,
      coveredCount: 1,
      uncoveredCount: 1,
    });
    expect(coverage.body.requirements[1]).toMatchObject({
      label: 'SC-8',
      status: 'untested',
      applicableCount: 2,
    });

    const store = await DatabaseFrameworkStore.create({
      database: mockServices.database.mock({ getClient: async () => ctx.knex }),
    });
    await store.recordImportRun({
      importId: 'nist-low',
      framework: NIST,
      target: 'https://example.com/low.json',
      outcome: 'failed',
      at: Date.parse('2026-11-01T00:00:00Z'),
      message: 'not a valid OSCAL catalog',
    });
    const imports = await get('/frameworks/imports');
    expect(imports.status).toBe(200);
    expect(imports.body.items).toEqual([
      {
        importId: 'nist-low',
        framework: NIST,
        target: 'https://example.com/low.json',
        lastOutcome: 'failed',
        lastRunAt: '2026-11-01T00:00:00.000Z',
        error: 'not a valid OSCAL catalog',
      },
    ]);
  });

  it('refuses a caller without a token', async () => {
    const res = await request(ctx.server).get(`${base}/frameworks`);
    expect(res.status).toBe(401);
  });
});
