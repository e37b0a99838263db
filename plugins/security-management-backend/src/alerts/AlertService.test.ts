import {
  mockServices,
  ServiceMock,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { AuditorService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { MAX_ALERT_ENTITIES } from '@open-itsm/plugin-security-management-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { AffectedEntities } from './AffectedEntities';
import { AlertService, RuleAlertInput } from './AlertService';
import { DatabaseAlertStore } from './DatabaseAlertStore';

jest.setTimeout(60_000);

function component(name: string, lifecycle = 'production'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle, owner: 'team-a' },
  };
}

const kev: RuleAlertInput = {
  ruleKey: 'kev:CVE-2024-3400',
  ruleId: 'kev-production-service',
  title:
    'CVE-2024-3400 is exploited in the wild and affects a production service',
  description: 'CISA KEV lists CVE-2024-3400 as exploited.',
  severity: 'critical',
  precautions:
    'Apply the vendor fix; until then restrict the GlobalProtect portal.',
  entityRefs: ['Component:default/Shop', 'component:default/shop'],
};

describe('AlertService', () => {
  const databases = createTestDatabases();

  async function createService(
    databaseId: TestDatabaseId,
    entities: Entity[] = [component('shop')],
  ) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseAlertStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    const auditor: ServiceMock<AuditorService> = mockServices.auditor.mock();
    const catalog = catalogServiceMock({ entities });
    const service = new AlertService({
      store,
      entities: new AffectedEntities({
        catalog,
        auth: mockServices.auth(),
      }),
      auditor,
    });
    return { knex, service, auditor, catalog };
  }

  it.each(databases.eachSupportedId())(
    'raises a rule alert once per key across concurrent callers, and audits only that one, %p',
    async databaseId => {
      const { knex, service, auditor } = await createService(databaseId);
      const results = await Promise.all(
        Array.from({ length: 4 }, () => service.raiseRuleAlert(kev)),
      );
      expect(results.filter(r => r.created)).toHaveLength(1);
      expect(new Set(results.map(r => r.alert.id)).size).toBe(1);
      expect(results[0].alert).toMatchObject({
        source: 'rule',
        ruleId: 'kev-production-service',
        raisedBy: 'rule:kev-production-service',
        scope: { entityRefs: ['component:default/shop'] },
        affectedEntityCount: 1,
        status: 'active',
      });
      expect(await knex('security_alerts').select('id')).toHaveLength(1);

      expect(auditor.createEvent).toHaveBeenCalledTimes(1);
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: 'alert-raise',
        severityLevel: 'high',
        meta: {
          trigger: 'rule',
          ruleId: 'kev-production-service',
          ruleKey: 'kev:CVE-2024-3400',
        },
      });
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({
          alertId: results[0].alert.id,
          severity: 'critical',
          affectedEntityCount: 1,
        }),
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps feed text storable and audits a rule alert that cannot be raised, %p',
    async databaseId => {
      const { service, auditor } = await createService(databaseId);
      const { alert } = await service.raiseRuleAlert({
        ...kev,
        ruleKey: 'kev:long',
        severity: 'low',
        title: `Title with a NUL\u0000 ${'x'.repeat(300)}`,
      });
      expect(alert.title).toHaveLength(200);
      expect(alert.title).not.toContain('\u0000');

      await expect(
        service.raiseRuleAlert({
          ...kev,
          ruleKey: 'kev:bad',
          entityRefs: ['not a ref'],
        }),
      ).rejects.toThrow("'not a ref' is not an entity ref");
      const failed = await auditor.createEvent.mock.results[1].value;
      expect(failed.fail).toHaveBeenCalled();
    },
  );

  it('pages through the catalog to resolve a filter, and refuses one that matches too much', async () => {
    const many = Array.from({ length: 1201 }, (_, i) =>
      component(`svc-${String(i).padStart(4, '0')}`),
    );
    const { service } = await createService('SQLITE_3', [
      ...many,
      component('old', 'deprecated'),
    ]);
    const alert = await service.raiseAlert({
      input: {
        title: 'Everyone in production',
        description: 'd',
        severity: 'high',
        precautions: 'p',
        filter: { 'spec.lifecycle': 'production' },
      },
      raisedBy: 'user:default/nadia',
      now: new Date(),
    });
    expect(alert.affectedEntityCount).toBe(1201);

    const tooMany = Array.from({ length: MAX_ALERT_ENTITIES + 1 }, (_, i) =>
      component(`c-${i}`),
    );
    const { service: big } = await createService('SQLITE_3', tooMany);
    await expect(
      big.raiseAlert({
        input: {
          title: 'Everyone',
          description: 'd',
          severity: 'high',
          precautions: 'p',
          filter: { kind: 'component' },
        },
        raisedBy: 'user:default/nadia',
        now: new Date(),
      }),
    ).rejects.toThrow(
      `filter: matches more than ${MAX_ALERT_ENTITIES} entities; narrow it`,
    );
  });
});
