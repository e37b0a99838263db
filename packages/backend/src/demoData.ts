import {
  AuthService,
  coreServices,
  createBackendPlugin,
  DiscoveryService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_ORIGIN_LOCATION,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ResponseError } from '@backstage/errors';
import {
  ControlPosture,
  EntityPosture,
  IncidentStatus,
  Page,
  TestRecordInput,
} from '@open-itsm/plugin-security-management-common';
import { DateTime, Duration } from 'luxon';

/*
 * Demo data for the example app: a realistic history of security tests,
 * reviews, incidents and an exception request, so that `yarn start` shows an
 * organisation with a posture rather than a wall of "untested". It writes
 * through the plugin's public REST API, as a service principal, and only
 * once: test records carry external ids, and a store that already holds any
 * test record is left alone. Enabled by `securityManagementDemo.seed: true`
 * (app-config.yaml only; never in production).
 *
 * It writes only for the example organisation: entities and controls that
 * the catalog read from this repository's examples/ folder. Anything a user
 * adds to the catalog is left alone. Everything it writes says it is demo
 * data, where the UI shows it (notes, findings, titles, justifications).
 */

/** Marks every seeded item, in the field the UI shows. */
export const DEMO_MARK = 'Demo data from the example app';

type Fetch = (
  path: string,
  init?: { method?: string; body?: unknown },
) => Promise<any>;

/** A stable number in [0, 100) for a string, so every start seeds the same. */
function bucket(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % 100;
}

function nameOf(ref: string) {
  return ref.slice(ref.indexOf('/') + 1);
}

/** Test records for one control on one entity, oldest first. */
export function demoTestRecords(options: {
  entityRef: string;
  control: ControlPosture['control'];
  now: DateTime;
}): TestRecordInput[] {
  const { entityRef, control, now } = options;
  const cadenceDays = Math.max(
    1,
    Duration.fromISO(control.cadence).shiftTo('days').days,
  );
  const roll = bucket(`${entityRef}|${control.ref}`);
  const at = (daysAgo: number) =>
    now
      .minus({ minutes: Math.round(daysAgo * 24 * 60) })
      .toUTC()
      .toISO()!;
  const record = (
    n: number,
    result: TestRecordInput['result'],
    daysAgo: number,
  ): TestRecordInput => ({
    controlRef: control.ref,
    entityRef,
    result,
    testedAt: at(daysAgo),
    evidenceUrl: `https://ci.acme-payments.example/security/${nameOf(
      entityRef,
    )}/${nameOf(control.ref)}/${n}`,
    notes:
      result === 'pass'
        ? `${DEMO_MARK}.`
        : `${DEMO_MARK}: findings filed with the owning team; see the evidence report.`,
    externalId: `demo:${entityRef}:${control.ref}:${n}`,
  });
  const fresh = cadenceDays * (0.1 + (roll % 50) / 100);
  if (roll < 60) {
    return [record(1, 'pass', fresh + cadenceDays), record(2, 'pass', fresh)];
  }
  if (roll < 72) {
    return [record(1, 'pass', cadenceDays + 5 + (roll % 30))];
  }
  if (roll < 86) {
    return [
      record(1, 'pass', fresh + cadenceDays),
      record(2, roll % 2 ? 'fail' : 'partial', Math.min(fresh, 20)),
    ];
  }
  return [];
}

/**
 * Seeds the history, once; false while the catalog sync has not yet given
 * the example entities a posture. `isExample` tells the example
 * organisation's entity and control refs from anything else in the catalog.
 */
export async function seed(options: {
  api: Fetch;
  logger: LoggerService;
  isExample: (ref: string) => boolean;
  now?: DateTime;
}): Promise<boolean> {
  const { api, logger, isExample } = options;
  const existing: Page<unknown> = await api('/test-records?limit=1');
  if (existing.totalCount > 0) return true;
  const { items: all }: Page<EntityPosture> = await api('/posture?limit=500');
  const items = all.filter(item => isExample(item.entityRef));
  if (items.length === 0) return false; // the catalog sync has not run yet

  const now = options.now ?? DateTime.utc();
  const records: TestRecordInput[] = [];
  for (const entity of items) {
    const posture: EntityPosture = await api(
      `/posture/entity?entityRef=${encodeURIComponent(entity.entityRef)}`,
    );
    for (const { control, inheritedFrom } of posture.controls ?? []) {
      // An inherited control is tested on the entity it is inherited from.
      if (inheritedFrom || !isExample(control.ref)) continue;
      records.push(
        ...demoTestRecords({ entityRef: entity.entityRef, control, now }),
      );
    }
  }
  for (let i = 0; i < records.length; i += 1000) {
    await api('/test-records/batch', {
      method: 'POST',
      body: { records: records.slice(i, i + 1000) },
    });
  }

  for (const entity of items) {
    const roll = bucket(`review|${entity.entityRef}`);
    if (roll >= 80) continue; // never reviewed
    const daysAgo = roll < 55 ? 15 + roll : 200 + roll * 3;
    await api('/reviews', {
      method: 'POST',
      body: {
        entityRef: entity.entityRef,
        outcome: roll % 3 === 0 ? 'approved-with-conditions' : 'approved',
        findings: `${DEMO_MARK}: architecture, data flows and access paths reviewed against the risk tier; controls match the current business risk.`,
        conditions:
          roll % 3 === 0
            ? ['Rotate the shared deploy credential before the next release']
            : [],
        reviewedAt: now.minus({ days: daysAgo }).toISO(),
      },
    });
  }

  const known = new Set(items.map(i => i.entityRef));
  const incidents: Array<{
    title: string;
    description: string;
    severity: string;
    entity: string;
    to: IncidentStatus[];
  }> = [
    {
      title: 'Card numbers written to debug logs',
      description:
        'A debug flag left on in production wrote truncated-but-not-masked card numbers to the application log for 40 minutes.',
      severity: 'high',
      entity: 'component:default/payments-api',
      to: ['triaged', 'contained'],
    },
    {
      title: 'Credential stuffing against the login endpoint',
      description:
        'A spike of failed logins from a botnet; rate limiting held but some accounts were locked.',
      severity: 'medium',
      entity: 'component:default/auth-service',
      to: ['triaged'],
    },
    {
      title: 'Expired TLS certificate on the checkout site',
      description:
        'The certificate of the checkout website expired; browsers showed warnings for 25 minutes.',
      severity: 'low',
      entity: 'component:default/checkout-web',
      to: ['triaged', 'contained', 'eradicated', 'recovered', 'closed'],
    },
  ];
  for (const incident of incidents.filter(i => known.has(i.entity))) {
    let created = await api('/incidents', {
      method: 'POST',
      body: {
        title: `[Demo] ${incident.title}`,
        description: `${DEMO_MARK}: ${incident.description}`,
        severity: incident.severity,
        affectedEntities: [incident.entity],
        reportedAt: now.minus({ days: 6 }).toISO(),
      },
    });
    for (const to of incident.to) {
      created = await api(`/incidents/${created.id}/transitions`, {
        method: 'POST',
        body: { to, version: created.version },
      });
    }
  }

  const fraud = items.find(
    i => i.entityRef === 'component:default/fraud-scoring',
  );
  const penTest = 'securitycontrol:default/annual-penetration-test';
  if (fraud && isExample(penTest)) {
    await api('/exceptions', {
      method: 'POST',
      body: {
        entityRef: fraud.entityRef,
        controlRef: penTest,
        justification: `${DEMO_MARK}: the scoring model is being replaced this quarter; the penetration test is scheduled for the new service instead.`,
        expiresAt: now.plus({ days: 75 }).toISO(),
      },
    }).catch(error =>
      logger.info(`Demo exception not requested: ${error.message}`),
    );
  }
  logger.info(
    `Seeded demo security data: ${records.length} test records for ${items.length} entities`,
  );
  return true;
}

function apiClient(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}): Fetch {
  return async (path, init = {}) => {
    const { token } = await options.auth.getPluginRequestToken({
      onBehalfOf: await options.auth.getOwnServiceCredentials(),
      targetPluginId: 'security-management',
    });
    const base = await options.discovery.getBaseUrl('security-management');
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  };
}

/**
 * The refs of the entities the catalog read from this repository's
 * examples/ folder (by their origin location), lower-case as the plugin
 * stores them.
 */
async function exampleRefs(options: {
  catalog: typeof catalogServiceRef.T;
  auth: AuthService;
}): Promise<Set<string>> {
  const examples = `file:${resolvePackagePath('backend', '../../examples')}/`;
  const { items } = await options.catalog.getEntities(
    {
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        `metadata.annotations.${ANNOTATION_ORIGIN_LOCATION}`,
      ],
    },
    { credentials: await options.auth.getOwnServiceCredentials() },
  );
  return new Set(
    items
      .filter(entity =>
        entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION]?.startsWith(
          examples,
        ),
      )
      .map(entity => stringifyEntityRef(entity).toLocaleLowerCase('en-US')),
  );
}

/**
 * Seeds demo security data into the example app once the catalog sync has
 * run. Not part of the published plugins.
 */
export const securityDemoDataPlugin = createBackendPlugin({
  pluginId: 'security-management-demo',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
      },
      async init({ config, auth, discovery, scheduler, logger, catalog }) {
        if (!config.getOptionalBoolean('securityManagementDemo.seed')) return;
        const api = apiClient({ auth, discovery });
        let done = false;
        // The catalog processes the examples over several passes and the
        // plugin's sync picks them up every 20 s: seed once the example
        // entities and the posture have not changed for two runs (30 s),
        // not when the first few have a posture, or the rest stay untested.
        let previous = '';
        let stableRuns = 0;
        await scheduler.scheduleTask({
          id: 'seed-demo-security-data',
          scope: 'global',
          frequency: { seconds: 15 },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 5 },
          fn: async () => {
            if (done) return;
            const examples = await exampleRefs({ catalog, auth });
            const posture: Page<unknown> = await api('/posture?limit=1');
            const current = `${examples.size}/${posture.totalCount}`;
            stableRuns = current === previous ? stableRuns + 1 : 0;
            previous = current;
            if (stableRuns < 2) return;
            done = await seed({
              api,
              logger,
              isExample: ref => examples.has(ref),
            });
          },
        });
      },
    });
  },
});
