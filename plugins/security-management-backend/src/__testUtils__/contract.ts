import {
  buildOpenApiDocument,
  RouteContract,
  securityManagementRoutes,
} from '@open-itsm/plugin-security-management-common';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/*
 * Contract tests: every answer the plugin gives in a test is checked against
 * the OpenAPI document it serves (status declared, body valid against the
 * declared schema), so a route that answers outside its contract fails.
 */

const BASE_PATH = '/api/security-management';

/** One answer the test server gave. */
export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  contentType: string;
  body: string;
}

type Document = {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          { content: Record<string, { schema: object }> }
        >;
      }
    >
  >;
  components: object;
};

const document = buildOpenApiDocument() as unknown as Document;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ components: document.components }, 'doc');
const validators = new Map<object, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(
      JSON.parse(
        JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components'),
      ),
    );
    validators.set(schema, validate);
  }
  return validate;
}

const routes = Object.values(securityManagementRoutes).map(
  (route: RouteContract) => ({
    route,
    pattern: new RegExp(
      `^${BASE_PATH}${route.path.replace(/:\w+/g, '[^/]+')}$`,
    ),
  }),
);

/** What is wrong with one answer, by the contract; empty when it conforms. */
export function contractProblems(response: RecordedResponse): string[] {
  const path = response.url.split('?')[0];
  // Backstage's own routes of every plugin (permission metadata) are not ours.
  if (
    !path.startsWith(`${BASE_PATH}/`) ||
    path.startsWith(`${BASE_PATH}/.well-known/`)
  ) {
    return [];
  }
  const where = `${response.method} ${response.url} → ${response.status}`;
  const match = routes.find(
    ({ route, pattern }) =>
      route.method === response.method.toLowerCase() && pattern.test(path),
  );
  if (!match) {
    return response.status === 404
      ? []
      : [`${where}: no route of the contract answers here`];
  }
  const template = match.route.path.replace(/:(\w+)/g, '{$1}');
  const operation = document.paths[template][match.route.method];
  const declared = operation.responses[String(response.status)];
  if (!declared) {
    return [
      `${where}: status not in the contract (${Object.keys(
        operation.responses,
      ).join(', ')})`,
    ];
  }
  const mediaType = response.contentType.split(';')[0].trim();
  const media = declared.content[mediaType];
  if (!media) {
    return [
      `${where}: content type ${mediaType || 'none'} not in the contract`,
    ];
  }
  if (mediaType !== 'application/json') return [];
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return [`${where}: body is not JSON`];
  }
  const validate = validatorOf(media.schema);
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    error =>
      `${where}: body${error.instancePath} ${error.message}${
        error.params && 'additionalProperty' in error.params
          ? ` '${error.params.additionalProperty}'`
          : ''
      }`,
  );
}

function decode(buffer: Buffer, encoding: string | undefined): string {
  if (encoding === 'gzip') return gunzipSync(buffer).toString('utf8');
  if (encoding === 'deflate') return inflateSync(buffer).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(buffer).toString('utf8');
  return buffer.toString('utf8');
}

/**
 * Records every answer a test server gives, as sent on the wire, and checks
 * them against the contract.
 */
export function recordResponses(server: Server) {
  const recorded: RecordedResponse[] = [];
  server.prependListener(
    'request',
    (req: IncomingMessage, res: ServerResponse) => {
      // Express rewrites req.url inside mounted routers: keep the original.
      const url = req.url ?? '';
      const chunks: Buffer[] = [];
      const keep = (chunk: unknown, encoding?: unknown) => {
        if (
          chunk === undefined ||
          chunk === null ||
          typeof chunk === 'function'
        )
          return;
        chunks.push(
          Buffer.isBuffer(chunk)
            ? chunk
            : Buffer.from(
                chunk as string,
                typeof encoding === 'string'
                  ? (encoding as BufferEncoding)
                  : 'utf8',
              ),
        );
      };
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.write = ((...args: unknown[]) => {
        keep(args[0], args[1]);
        return write(...args);
      }) as typeof res.write;
      res.end = ((...args: unknown[]) => {
        keep(args[0], args[1]);
        recorded.push({
          method: req.method ?? 'GET',
          url,
          status: res.statusCode,
          contentType: String(res.getHeader('content-type') ?? ''),
          body: decode(
            Buffer.concat(chunks),
            res.getHeader('content-encoding') as string | undefined,
          ),
        });
        return end(...args);
      }) as typeof res.end;
    },
  );
  return {
    recorded,
    /** Throws with every answer that is outside the contract. */
    assertAllMatchContract() {
      const problems = recorded.flatMap(contractProblems);
      if (problems.length > 0) {
        throw new Error(
          `Answers outside the API contract:\n${problems.join('\n')}`,
        );
      }
    },
  };
}
