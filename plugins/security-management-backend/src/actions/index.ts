import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  securityManagementRoutes,
  securityPostureReadPermission,
  securityTestRecordCreatePermission,
  SECURITY_TEST_METHODS,
  TEST_RESULTS,
} from '@open-itsm/plugin-security-management-common';
import { AdvisoryService } from '../advisories/AdvisoryService';
import { incidentReadAccess } from '../incidents/incidentAccess';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { audited, auditTarget } from '../lib/audit';
import { CapabilityOptions } from '../lib/capability';
import { readSecurityManagementSettings } from '../lib/config';
import { principalRef, Principal } from '../lib/routing';
import { parseRequestPart } from '../lib/validation';
import { TestingService } from '../testing/TestingService';

const routes = securityManagementRoutes;

/** Parses an action's input with the schema of the matching route. */
function parse<T>(
  schema: { parse: (value: unknown) => T } | undefined,
  value: unknown,
): T {
  if (!schema) throw new Error('The route takes no such input');
  return parseRequestPart(schema as any, value, 'action input') as T;
}

/** A user or a service; actions, like routes, refuse anyone else. */
function caller(
  credentials: BackstageCredentials,
): BackstageCredentials<Principal> {
  const { type } = credentials.principal as { type: string };
  if (type !== 'user' && type !== 'service') {
    throw new NotAllowedError('Security Management actions need a caller');
  }
  return credentials as BackstageCredentials<Principal>;
}

/**
 * Registers Security Management's actions with Backstage's actions registry
 * (reached by AI assistants through the MCP actions plugin): an entity's
 * posture, overdue tests, an entity's open advisories, and recording a
 * test. Each checks the caller's permission like the matching route, with
 * the same input validation and the same stores; recording is audited.
 */
export function setupActions(
  capability: CapabilityOptions,
  options: {
    actionsRegistry: ActionsRegistryService;
    advisories: AdvisoryService;
    transformConditions: ConditionTransformer<IncidentRuleQuery>;
  },
): void {
  const { context, stores, auditor, config } = capability;
  const { actionsRegistry, advisories, transformConditions } = options;
  const { authorizer } = context;
  const { reviewDueSoon } = readSecurityManagementSettings(config);
  const testing = new TestingService({
    applicability: stores.applicability,
    testing: stores.testing,
  });

  actionsRegistry.register({
    name: 'get-entity-security-posture',
    title: 'Get the security posture of an entity',
    description:
      'The security posture of a catalog entity: its security controls with their test status, review status, score, and the open incidents the caller may read.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity ref, e.g. component:default/payments-api'),
        }),
      output: z =>
        z.object({
          posture: z
            .object({
              entityRef: z.string(),
              score: z.number().nullable().optional(),
            })
            .passthrough()
            .describe('The EntityPosture of GET /posture/entity'),
        }),
    },
    action: async ({ input, credentials }) => {
      const who = caller(credentials);
      const { entityRef } = parse(routes.getEntityPosture.query, input);
      const [, incidentAccess] = await Promise.all([
        authorizer.require(securityPostureReadPermission, who),
        incidentReadAccess({
          authorizer,
          credentials: who,
          transformConditions,
        }),
      ]);
      const posture = await stores.posture.getEntityPosture({
        entityRef,
        now: new Date(),
        reviewDueSoon,
        incidentAccess,
      });
      if (!posture) {
        throw new NotFoundError(
          `No posture for '${entityRef}': it is not in the catalog or no security control applies to it`,
        );
      }
      return { output: { posture } };
    },
  });

  actionsRegistry.register({
    name: 'list-overdue-security-tests',
    title: 'List overdue security tests',
    description:
      'Security control tests that are past their due date, optionally only those of entities owned by a group or of one entity.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          owner: z
            .string()
            .optional()
            .describe('Group ref of the owner, e.g. group:default/team-a'),
          entityRef: z.string().optional().describe('Only this entity'),
        }),
      output: z =>
        z.object({
          tests: z.array(
            z
              .object({
                entityRef: z.string(),
                controlRef: z.string(),
                controlTitle: z.string(),
                owner: z.string().optional(),
                dueAt: z.string().optional(),
              })
              .passthrough(),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const who = caller(credentials);
      const { owner } = parse(routes.getSchedule.query, { owner: input.owner });
      const entityRef = input.entityRef
        ? parse(routes.getEntityPosture.query, { entityRef: input.entityRef })
            .entityRef
        : undefined;
      await authorizer.require(securityPostureReadPermission, who);
      const now = new Date();
      const at = now.toISOString();
      const schedule = await stores.testing.schedule({
        query: { from: at, to: at, owner },
        now,
      });
      const tests = schedule.tests.filter(
        test =>
          test.state === 'overdue' &&
          (!entityRef || test.entityRef === entityRef),
      );
      return { output: { tests } };
    },
  });

  actionsRegistry.register({
    name: 'list-entity-advisories',
    title: 'List the open security advisories of an entity',
    description:
      'Security advisories (vulnerabilities) that affect a catalog entity and are still open or acknowledged, with why they match.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity ref, e.g. component:default/payments-api'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          findings: z.array(z.object({}).passthrough()),
          counts: z.object({}).passthrough(),
        }),
    },
    action: async ({ input, credentials }) => {
      const who = caller(credentials);
      const { entityRef } = parse(routes.getEntityAdvisories.query, {
        entityRef: input.entityRef,
      });
      await authorizer.require(securityPostureReadPermission, who);
      const result = await advisories.getEntityAdvisories({
        entityRef,
        all: false,
        now: new Date(),
      });
      return {
        output: {
          entityRef: result.entityRef,
          findings: result.findings,
          counts: result.counts,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'record-security-test',
    title: 'Record a security test result',
    description:
      'Records the result of testing a security control on a catalog entity, as POST /test-records does. With an externalId already used, nothing is created and the first record is returned, so retries are safe.',
    attributes: { readOnly: false, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          controlRef: z
            .string()
            .describe(
              'SecurityControl ref, e.g. securitycontrol:default/mfa-admin-access',
            ),
          entityRef: z
            .string()
            .describe('Entity ref the control was tested on'),
          result: z.enum(TEST_RESULTS as unknown as [string, ...string[]]),
          testedAt: z
            .string()
            .optional()
            .describe('ISO-8601 instant; defaults to now'),
          method: z
            .enum(SECURITY_TEST_METHODS as unknown as [string, ...string[]])
            .optional(),
          evidenceUrl: z.string().optional(),
          notes: z.string().optional(),
          externalId: z
            .string()
            .optional()
            .describe('Idempotency key, e.g. the CI run id'),
        }),
      output: z =>
        z.object({
          record: z
            .object({ id: z.string(), controlRef: z.string() })
            .passthrough(),
          created: z.boolean(),
        }),
    },
    action: async ({ input, credentials }) => {
      const who = caller(credentials);
      const [posted] = await audited({
        auditor,
        event: {
          eventId: 'test-record-create',
          severityLevel: 'medium',
          meta: {
            via: 'action',
            actor: principalRef(who),
            ...auditTarget(input, ['controlRef', 'entityRef', 'externalId']),
          },
        },
        run: async () => {
          await authorizer.require(securityTestRecordCreatePermission, who);
          const record = parse(routes.createTestRecord.body, input);
          return testing.recordTests({
            records: [record],
            tester: principalRef(who),
            now: new Date(),
            batch: false,
          });
        },
        describe: ([result]) => ({
          recordId: result.record.id,
          controlRef: result.record.controlRef,
          entityRef: result.record.entityRef,
          result: result.record.result,
          created: result.created,
        }),
      });
      return { output: posted };
    },
  });
}
