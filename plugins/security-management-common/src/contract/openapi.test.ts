import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument } from './openapi';
import { RouteContract, securityManagementRoutes } from './routes';

type Operation = {
  operationId: string;
  parameters: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content: Record<string, { schema: object }> }>;
  security?: unknown[];
};

const document = buildOpenApiDocument({ version: '1.2.3' }) as {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
};

const routes = Object.entries(securityManagementRoutes) as Array<
  [string, RouteContract]
>;

function operationOf(route: RouteContract): Operation {
  return document.paths[route.path.replace(/:(\w+)/g, '{$1}')][route.method];
}

describe('buildOpenApiDocument', () => {
  it('describes every route of the table, and nothing else', () => {
    const described = Object.values(document.paths).flatMap(methods =>
      Object.values(methods).map(operation => operation.operationId),
    );
    expect(described.sort()).toEqual(routes.map(([id]) => id).sort());
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
  });

  it('names path parameters as OpenAPI templates', () => {
    const operation = operationOf(securityManagementRoutes.getIncident);
    expect(operation.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
    expect(document.paths['/incidents/{id}/transitions']).toBeDefined();
  });

  it('marks a query parameter required only when it has no default', () => {
    const list = operationOf(securityManagementRoutes.listIncidents);
    const byName = Object.fromEntries(list.parameters.map(p => [p.name, p]));
    expect(byName.limit.required).toBe(false);
    expect(byName.status).toMatchObject({
      required: false,
      style: 'form',
      explode: true,
    });
    const posture = operationOf(securityManagementRoutes.getEntityPosture);
    expect(posture.parameters[0]).toMatchObject({
      name: 'entityRef',
      required: true,
    });
  });

  it('states the limits the server applies, such as the evidence URL length and the external id', () => {
    const body = operationOf(securityManagementRoutes.createTestRecord)
      .requestBody!.content['application/json'].schema as {
      properties: Record<string, Record<string, unknown>>;
      additionalProperties: boolean;
    };
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.evidenceUrl.maxLength).toBe(2000);
    expect(body.properties.externalId).toMatchObject({
      minLength: 1,
      maxLength: 200,
    });
  });

  it('lets only /health through without a token', () => {
    const open = routes
      .filter(([, route]) => !operationOf(route).responses['401'])
      .map(([id]) => id);
    expect(open).toEqual(['getHealth']);
    expect(operationOf(securityManagementRoutes.getHealth).security).toEqual(
      [],
    );
    const tokenless = routes.filter(
      ([, route]) => operationOf(route).security !== undefined,
    );
    expect(tokenless.map(([id]) => id)).toEqual(['getHealth']);
  });

  it('documents a 400 wherever input is validated and a 403 wherever a permission is checked', () => {
    const missing = routes.flatMap(([id, route]) => {
      const { responses } = operationOf(route);
      const takesInput = Boolean(route.params || route.query || route.body);
      return [
        ...(takesInput && !responses['400'] ? [`${id} 400`] : []),
        ...(route.permission && !responses['403'] ? [`${id} 403`] : []),
      ];
    });
    expect(missing).toEqual([]);
  });

  it('documents a 503 on every route that reads the database', () => {
    const without503 = routes
      .filter(([, route]) => !operationOf(route).responses['503'])
      .map(([id]) => id);
    expect(without503.sort()).toEqual(['getHealth', 'getOpenApiDocument']);
    expect(
      operationOf(securityManagementRoutes.listControls).responses['503'],
    ).toMatchObject({
      description: 'The database cannot be reached; try again later.',
    });
  });

  it('offers the report as CSV too', () => {
    const report = operationOf(securityManagementRoutes.getReport);
    expect(Object.keys(report.responses['200'].content)).toEqual([
      'application/json',
      'text/csv',
    ]);
  });

  it('holds only valid JSON Schemas whose references resolve', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema({ components: document.components }, 'doc');
    const resolve = (schema: object) =>
      JSON.parse(
        JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components'),
      );
    for (const [, methods] of Object.entries(document.paths)) {
      for (const operation of Object.values(methods)) {
        for (const response of Object.values(operation.responses)) {
          for (const media of Object.values(response.content)) {
            expect(() => ajv.compile(resolve(media.schema))).not.toThrow();
          }
        }
      }
    }
  });
});
