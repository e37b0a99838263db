import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PURLS,
  securityAdvisoryManagePermission,
  securityPostureReadPermission,
  securityTestRecordCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import request from 'supertest';
import {
  createMemoryUrlReader,
  FIXTURE_FEEDS,
  loadAdvisoryFixtures,
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

const POSTURE_READ = securityPostureReadPermission.name;
const RECORD = securityTestRecordCreatePermission.name;
const DAY_MS = 24 * 60 * 60 * 1000;

const alice = mockCredentials.user('user:default/alice');

/** The test catalog, with the ledger declaring a vulnerable tar. */
function catalog(): Entity[] {
  return testCatalog().map(entity =>
    entity.metadata.name === 'ledger'
      ? {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: { [ANNOTATION_PURLS]: 'pkg:npm/tar@6.2.1' },
          },
        }
      : entity,
  );
}

jest.setTimeout(60_000);

describe('security actions', () => {
  let ctx: Awaited<ReturnType<typeof startSecurityBackend>>;

  beforeEach(async () => {
    const reader = createMemoryUrlReader({});
    loadAdvisoryFixtures(reader);
    ctx = await startSecurityBackend({
      entities: catalog(),
      urlReader: reader,
      config: {
        securityManagement: {
          advisories: {
            feeds: [{ id: 'github', type: 'osv', target: FIXTURE_FEEDS.osv }],
          },
        },
      },
    });
  });

  afterEach(async () => {
    await ctx.backend.stop();
  });

  function grant(...names: string[]) {
    setPermissions(ctx.permissions, allow(...names));
  }

  function invoke(name: string, input: Record<string, unknown>) {
    return ctx.actions.invoke({
      id: `test:${name}`,
      input: input as any,
      credentials: alice,
    });
  }

  it('registers the read actions and the test recording', async () => {
    const { actions } = await ctx.actions.list();
    expect(actions.map(action => action.name).sort()).toEqual([
      'get-entity-security-posture',
      'list-entity-advisories',
      'list-overdue-security-tests',
      'record-security-test',
    ]);
    const record = actions.find(a => a.name === 'record-security-test');
    expect(record?.attributes.readOnly).toBe(false);
  });

  it('records a test, audited, and shows it in the posture', async () => {
    grant(RECORD, POSTURE_READ);
    const { output } = await invoke('record-security-test', {
      controlRef: refs.tls,
      entityRef: refs.payments,
      result: 'pass',
      externalId: 'ci-run-1',
    });
    expect(output).toMatchObject({
      created: true,
      record: { controlRef: refs.tls, entityRef: refs.payments },
    });
    const event = await auditorEvent(ctx.auditor, 'test-record-create');
    expect(ctx.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        severityLevel: 'medium',
        meta: expect.objectContaining({
          via: 'action',
          actor: 'user:default/alice',
          controlRef: refs.tls,
        }),
      }),
    );
    expect(event.success).toHaveBeenCalled();

    const posture = await invoke('get-entity-security-posture', {
      entityRef: 'component:default/payments-api',
    });
    expect(posture.output).toMatchObject({
      posture: {
        entityRef: refs.payments,
        controls: expect.arrayContaining([
          expect.objectContaining({
            control: expect.objectContaining({ ref: refs.tls }),
            status: 'passing',
          }),
        ]),
      },
    });
  });

  it('refuses to record without the permission, and audits the failure', async () => {
    grant(POSTURE_READ);
    await expect(
      invoke('record-security-test', {
        controlRef: refs.tls,
        entityRef: refs.payments,
        result: 'pass',
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const event = await auditorEvent(ctx.auditor, 'test-record-create');
    expect(event.fail).toHaveBeenCalled();
    grant(RECORD, POSTURE_READ);
    const posture = await invoke('get-entity-security-posture', {
      entityRef: refs.payments,
    });
    expect(posture.output).toMatchObject({
      posture: { counts: { passing: 0, untested: 2 } },
    });
  });

  it('answers bad input with an InputError naming the field', async () => {
    grant(RECORD, POSTURE_READ);
    await expect(
      invoke('record-security-test', {
        controlRef: refs.tls,
        entityRef: 'not a ref',
        result: 'pass',
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('entityRef'),
    });
    await expect(
      invoke('record-security-test', {
        controlRef: refs.tls,
        entityRef: refs.payments,
        result: 'maybe',
      }),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      invoke('get-entity-security-posture', { entityRef: '' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('entityRef'),
    });
    await expect(
      invoke('list-overdue-security-tests', { owner: 'team a' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('owner'),
    });
  });

  it('denies the read actions without posture.read', async () => {
    grant(RECORD);
    for (const [name, input] of [
      ['get-entity-security-posture', { entityRef: refs.payments }],
      ['list-overdue-security-tests', {}],
      ['list-entity-advisories', { entityRef: refs.ledger }],
    ] as const) {
      await expect(invoke(name, input)).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
    }
  });

  it('is a not-found for an entity without posture', async () => {
    grant(POSTURE_READ);
    await expect(
      invoke('get-entity-security-posture', {
        entityRef: 'component:default/nowhere',
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('lists overdue tests, by owner and entity', async () => {
    grant(RECORD, POSTURE_READ);
    // MFA is tested every 30 days: a pass 60 days ago is overdue.
    await invoke('record-security-test', {
      controlRef: refs.mfa,
      entityRef: refs.payments,
      result: 'pass',
      testedAt: new Date(Date.now() - 60 * DAY_MS).toISOString(),
    });
    // TLS every 90 days: a pass 10 days ago is not.
    await invoke('record-security-test', {
      controlRef: refs.tls,
      entityRef: refs.ledger,
      result: 'pass',
      testedAt: new Date(Date.now() - 10 * DAY_MS).toISOString(),
    });

    const all = await invoke('list-overdue-security-tests', {});
    expect(all.output).toEqual({
      tests: [
        expect.objectContaining({
          entityRef: refs.payments,
          controlRef: refs.mfa,
          state: 'overdue',
        }),
      ],
    });
    const teamB = await invoke('list-overdue-security-tests', {
      owner: refs.teamB,
    });
    expect(teamB.output).toEqual({ tests: [] });
    const ledger = await invoke('list-overdue-security-tests', {
      entityRef: refs.ledger,
    });
    expect(ledger.output).toEqual({ tests: [] });
    const teamA = await invoke('list-overdue-security-tests', {
      owner: refs.teamA,
      entityRef: refs.payments,
    });
    expect((teamA.output as { tests: unknown[] }).tests).toHaveLength(1);
  });

  it('lists the open advisories of an entity', async () => {
    grant(securityAdvisoryManagePermission.name);
    const res = await request(ctx.server)
      .post('/api/security-management/advisories/refresh')
      .set(as.user('sec'));
    expect(res.status).toBe(200);

    grant(POSTURE_READ);
    const ledger = await invoke('list-entity-advisories', {
      entityRef: refs.ledger,
    });
    const output = ledger.output as {
      entityRef: string;
      findings: { advisoryId: string; status: string }[];
    };
    expect(output.entityRef).toBe(refs.ledger);
    expect(output.findings.length).toBeGreaterThan(0);
    expect(output.findings.every(f => f.status === 'open')).toBe(true);

    const payments = await invoke('list-entity-advisories', {
      entityRef: refs.payments,
    });
    expect(payments.output).toMatchObject({ findings: [] });
  });
});
