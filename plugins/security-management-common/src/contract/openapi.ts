import { z } from 'zod';
import * as api from '../api';
import * as reviews from '../reviews';
import * as types from '../types';
import { ErrorStatus, RouteContract, securityManagementRoutes } from './routes';

/*
 * The OpenAPI 3.1 document of the REST API, built from the route table and
 * its zod schemas, so the served document cannot drift from what the server
 * accepts and answers.
 */

/** The Backstage error body every error status answers with. @public */
export const errorResponseSchema = z.looseObject({
  error: z.looseObject({ name: z.string(), message: z.string() }),
  request: z.looseObject({ method: z.string(), url: z.string() }).optional(),
  response: z.looseObject({ statusCode: z.number().int() }),
});

type JsonSchema = Record<string, unknown>;

const COMPONENTS: Record<string, z.ZodType> = {
  Error: errorResponseSchema,
  TestRecord: types.testRecordSchema,
  Incident: types.incidentSchema,
  IncidentTimelineEntry: types.incidentTimelineEntrySchema,
  SecurityReview: types.securityReviewSchema,
  ReviewCondition: types.reviewConditionSchema,
  SecurityException: types.securityExceptionSchema,
  ControlSummary: types.controlSummarySchema,
  ControlPosture: types.controlPostureSchema,
  EntityPosture: types.entityPostureSchema,
  ControlStatusCounts: types.controlStatusCountsSchema,
  IncidentSeverityCounts: types.incidentSeverityCountsSchema,
  ReviewStatusCounts: types.reviewStatusCountsSchema,
  TestRecordPage: api.testRecordPageSchema,
  TestRecordPostResult: api.testRecordPostResultSchema,
  TestRecordBatchResult: api.testRecordBatchResultSchema,
  IncidentPage: api.incidentPageSchema,
  IncidentTimeline: api.incidentTimelineSchema,
  ReviewPage: reviews.reviewPageSchema,
  ReviewConditionPage: reviews.reviewConditionPageSchema,
  ExceptionPage: api.exceptionPageSchema,
  ControlListItem: api.controlListItemSchema,
  ControlList: api.controlListSchema,
  ControlCoverage: api.controlCoverageSchema,
  PostureBatchResult: api.postureBatchResultSchema,
  PosturePage: api.posturePageSchema,
  PostureRollupItem: api.postureRollupItemSchema,
  PostureRollup: api.postureRollupSchema,
  TestingSchedule: api.testingScheduleSchema,
  SecurityReport: api.securityReportSchema,
  ApplicabilityRefreshResult: api.applicabilityRefreshResultSchema,
  Health: api.healthSchema,
};

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'The request is malformed; the message names each bad field.',
  401: 'No valid Backstage token.',
  403: 'The permission framework denied the request.',
  404: 'Not found, or not visible to the caller.',
  409: 'The object changed meanwhile (stale version) or is in the wrong state.',
  413: 'The request body is larger than 5 MB.',
  415: 'The request body is not JSON.',
  503: 'The database cannot be reached; try again later.',
};

/** Drops what zod adds that says nothing to a reader (safe-integer bounds, regexes behind a format). */
function tidy(ctx: { jsonSchema: JsonSchema }) {
  const schema = ctx.jsonSchema;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  if (schema.format && schema.pattern) delete schema.pattern;
}

function strip(schema: JsonSchema): JsonSchema {
  const { $schema, $id, ...rest } = schema;
  return rest;
}

function buildComponents(): {
  schemas: Record<string, JsonSchema>;
  refOf: (schema: z.ZodType) => JsonSchema | undefined;
} {
  const registry = z.registry<{ id: string }>();
  const ids = new Map<z.ZodType, string>();
  for (const [id, schema] of Object.entries(COMPONENTS)) {
    registry.add(schema, { id });
    ids.set(schema, id);
  }
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    uri: id => `#/components/schemas/${id}`,
    override: tidy,
  }) as { schemas: Record<string, JsonSchema> };
  return {
    schemas: Object.fromEntries(
      Object.entries(schemas).map(([id, schema]) => [id, strip(schema)]),
    ),
    refOf: schema => {
      const id = ids.get(schema);
      return id ? { $ref: `#/components/schemas/${id}` } : undefined;
    },
  };
}

function inputSchema(schema: z.ZodType): JsonSchema {
  return strip(
    z.toJSONSchema(schema, {
      io: 'input',
      unrepresentable: 'any',
      override: tidy,
    }) as JsonSchema,
  );
}

function parameters(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
): JsonSchema[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(
    ([name, field]) => {
      const fieldSchema = inputSchema(field);
      return {
        name,
        in: where,
        required: where === 'path' || !field.safeParse(undefined).success,
        schema: fieldSchema,
        ...(fieldSchema.type === 'array'
          ? { style: 'form', explode: true }
          : {}),
      };
    },
  );
}

function errorStatuses(route: RouteContract): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>(route.errors ?? []);
  if (route.params || route.query || route.body) statuses.add(400);
  if (!route.unauthenticated) statuses.add(401);
  if (route.permission) statuses.add(403);
  if (route.body) statuses.add(415);
  // Every route but /health and /openapi.json reads the database.
  if (route.tag !== 'Meta') statuses.add(503);
  return [...statuses].sort();
}

/**
 * The OpenAPI 3.1 document of the REST API, built from the route table.
 *
 * @public
 */
export function buildOpenApiDocument(
  options: { version?: string } = {},
): Record<string, unknown> {
  const { schemas, refOf } = buildComponents();
  const jsonOf = (schema: z.ZodType) =>
    refOf(schema) ??
    strip(
      z.toJSONSchema(schema, { io: 'output', override: tidy }) as JsonSchema,
    );
  const error = {
    'application/json': { schema: { $ref: '#/components/schemas/Error' } },
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, route] of Object.entries(
    securityManagementRoutes,
  ) as [string, RouteContract][]) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(route.responses)) {
      const content: Record<string, unknown> = {
        'application/json': { schema: jsonOf(schema) },
      };
      if (route.csv) content['text/csv'] = { schema: { type: 'string' } };
      responses[status] = { description: route.summary, content };
    }
    for (const status of errorStatuses(route)) {
      responses[status] = {
        description: ERROR_DESCRIPTIONS[status],
        content: error,
      };
    }
    const permission = route.permission
      ? `Permission: \`${route.permission}\`.`
      : undefined;
    paths[path] = {
      ...paths[path],
      [route.method]: {
        tags: [route.tag],
        operationId,
        summary: route.summary,
        description: [permission, route.description].filter(Boolean).join(' '),
        ...(route.unauthenticated ? { security: [] } : {}),
        parameters: [
          ...parameters(route.params, 'path'),
          ...parameters(route.query, 'query'),
        ],
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: {
                  'application/json': { schema: inputSchema(route.body) },
                },
              },
            }
          : {}),
        responses,
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Security Management',
      version: options.version ?? '0.0.0',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      description: [
        'ITIL IT Security Management for Backstage: security controls (catalog kind `SecurityControl`), test records, incidents, periodic reviews, risk exceptions, posture, the testing schedule and the IT security report.',
        'Every route but `/health` needs a Backstage token: a user token, or for CI and other tools a service token such as an external-access static token (`Authorization: Bearer <token>`). Each route also checks a permission of the Backstage permission framework, named in its description.',
        'Entity refs are returned in full, lower-case form (`component:default/payments-api`). Control refs may be sent without a kind (`securitycontrol` is assumed) and any ref without a namespace (`default` is assumed). Timestamps are ISO-8601 with a time zone, from 1970 to the end of 9999 in UTC. No string may contain a NUL character.',
      ].join('\n\n'),
    },
    servers: [{ url: '/api/security-management' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A Backstage user token, or a service token such as an external-access static token.',
        },
      },
      schemas,
    },
  };
}
