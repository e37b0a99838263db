import fs from 'node:fs';
import path from 'node:path';
import Ajv, {
  _,
  ErrorObject,
  KeywordCxt,
  CodeOptions,
  ValidateFunction,
} from 'ajv';
import addFormats from 'ajv-formats';
import addFormats2019 from 'ajv-formats-draft2019';
import { compareText } from './ecosystems';
import { ComponentSourceError } from './errors';
import { componentFromPurl, DistinctComponents } from './purls';
import { Component } from './types';

/** The specVersions that have a JSON schema. */
const JSON_VERSIONS: readonly string[] = [
  '1.2',
  '1.3',
  '1.4',
  '1.5',
  '1.6',
  '1.7',
];

/** The official CycloneDX schemas, as the CycloneDX library ships them. */
const schemaDir = path.join(
  path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')),
  'res',
  'schema',
);

/*
 * The schemas mark component lists `uniqueItems`, which ajv checks by
 * comparing every pair of items: 0.7 s for the 3,000 components of this
 * repository's lockfile, quadratic beyond. That keyword alone is left out
 * (a repeated component does no harm here: components are kept once per
 * purl); everything else is validated as the library's own JsonValidator
 * does, with the same ajv options and formats.
 *
 * Two checks that run once per component are made cheaper without
 * changing what they accept:
 * - a long `enum` of strings (the SPDX license ids, some 700) is checked
 *   by ajv as a loop of deep comparisons; it becomes the {@link STRING_ENUM}
 *   keyword, which accepts exactly the same values through a Set;
 * - the hash content pattern (hex of 32, 40, 64, 96 or 128 digits, as
 *   alternatives that V8 tries one after another) is tested as one length
 *   check and one hex run, the same language.
 */
const STRING_ENUM = 'openItsmStringEnum';
/** Below this many values, ajv's own enum is as fast. */
const STRING_ENUM_MIN = 16;

function prepareSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(prepareSchema);
  if (schema && typeof schema === 'object') {
    const entries = Object.entries(schema)
      .filter(([key]) => key !== 'uniqueItems')
      .map(([key, value]) => {
        if (
          key === 'enum' &&
          Array.isArray(value) &&
          value.length >= STRING_ENUM_MIN &&
          value.every(item => typeof item === 'string')
        ) {
          return [STRING_ENUM, value];
        }
        return [key, prepareSchema(value)];
      });
    return Object.fromEntries(entries);
  }
  return schema;
}

const HASH_CONTENT_PATTERN =
  '^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$';
const HASH_CONTENT_LENGTHS = new Set([32, 40, 64, 96, 128]);
const HEX_DIGITS = /^[a-fA-F0-9]+$/;

/** The hash content pattern, tested as what it means. */
class HashContentPattern extends RegExp {
  override test(text: string): boolean {
    return HASH_CONTENT_LENGTHS.has(text.length) && HEX_DIGITS.test(text);
  }
}

/** ajv's regular expressions, the hash content pattern's made faster. */
const regExp: NonNullable<CodeOptions['regExp']> = Object.assign(
  (pattern: string, flags: string) =>
    pattern === HASH_CONTENT_PATTERN
      ? new HashContentPattern(pattern, flags)
      : new RegExp(pattern, flags),
  { code: 'new RegExp' },
);

function readSchema(file: string): object {
  return prepareSchema(
    JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')),
  ) as object;
}

// Compiled on first use (about half a second) and kept for the process.
const validators = new Map<string, ValidateFunction>();

function validatorFor(version: string): ValidateFunction {
  let validate = validators.get(version);
  if (!validate) {
    const ajv = new Ajv({
      useDefaults: false,
      strict: false,
      strictSchema: false,
      code: { regExp },
      addUsedSchema: false,
      loadSchema: (uri: string) => {
        throw new Error(`Remote schemas are disabled: ${uri}`);
      },
      schemas: {
        'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': readSchema(
          'spdx.SNAPSHOT.schema.json',
        ),
        'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json':
          readSchema('cryptography-defs.SNAPSHOT.schema.json'),
        'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': readSchema(
          'jsf-0.82.SNAPSHOT.schema.json',
        ),
      },
    });
    ajv.addKeyword({
      keyword: STRING_ENUM,
      schemaType: 'array',
      error: {
        message: 'must be equal to one of the allowed values',
        params: ({ schema }) => _`{allowedValues: ${schema}}`,
      },
      code(cxt: KeywordCxt) {
        const values = cxt.gen.scopeValue('keyword', {
          ref: new Set(cxt.schema as string[]),
        });
        cxt.fail(_`!${values}.has(${cxt.data})`);
      },
    });
    addFormats(ajv);
    addFormats2019(ajv, { formats: ['idn-email'] });
    // As the library does: no implementation of iri-reference is reliable.
    ajv.addFormat('iri-reference', true);
    validate = ajv.compile(readSchema(`bom-${version}.SNAPSHOT.schema.json`));
    validators.set(version, validate);
  }
  return validate;
}

function describeSchemaErrors(errors: ErrorObject[]): string {
  const first = errors[0];
  const more = errors.length - 1;
  return `${first.instancePath || '(document)'} ${
    first.message ?? 'is invalid'
  }${more ? ` (and ${more} more ${more === 1 ? 'problem' : 'problems'})` : ''}`;
}

interface RawComponent {
  purl?: unknown;
  components?: RawComponent[];
}

/**
 * Reads a CycloneDX JSON SBOM (spec 1.2 to 1.7) after validating it against
 * the official schema of its `specVersion` (see above for `uniqueItems`).
 * Asynchronous so that a validator that reads its schemas lazily can be used.
 *
 * Throws a {@link ComponentSourceError} when the document is not JSON, not
 * CycloneDX, of a version without a JSON schema, or fails the schema.
 * Components (nested ones included; not the SBOM's own subject in
 * `metadata.component`) without a purl, with a purl that cannot be read,
 * without a version or of a type this version cannot match are counted in
 * the warnings. Each package version is listed once.
 */
export async function readCycloneDxSbom(
  content: Buffer | string,
): Promise<{ components: Component[]; warnings: string[] }> {
  let text = typeof content === 'string' ? content : content.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ComponentSourceError(
      `The SBOM is not JSON: ${(error as Error).message}`,
    );
  }
  const doc = json as { bomFormat?: unknown; specVersion?: unknown };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ComponentSourceError(
      'The SBOM is not a CycloneDX document: it is not a JSON object',
    );
  }
  if (doc.bomFormat !== 'CycloneDX') {
    throw new ComponentSourceError(
      `The SBOM is not a CycloneDX document: bomFormat is ${
        doc.bomFormat === undefined ? 'missing' : JSON.stringify(doc.bomFormat)
      }, not "CycloneDX"`,
    );
  }
  const version = String(doc.specVersion);
  if (!JSON_VERSIONS.includes(version)) {
    throw new ComponentSourceError(
      `CycloneDX specVersion ${JSON.stringify(
        doc.specVersion ?? null,
      )} cannot be read: JSON SBOMs of versions ${JSON_VERSIONS.join(
        ', ',
      )} can`,
    );
  }
  const validate = validatorFor(version);
  if (!validate(json)) {
    throw new ComponentSourceError(
      `The SBOM does not follow the CycloneDX ${version} schema: ${describeSchemaErrors(
        validate.errors ?? [],
      )}`,
    );
  }

  // Components are shared per purl (see componentFromPurl): one per version.
  const components = new DistinctComponents();
  let withoutPurl = 0;
  let unreadable = 0;
  let withoutVersion = 0;
  const unmatchedTypes = new Map<string, number>();
  const take = (raw: RawComponent) => {
    if (typeof raw.purl !== 'string' || !raw.purl.trim()) {
      withoutPurl += 1;
      return;
    }
    const result = componentFromPurl(raw.purl.trim());
    if ('problem' in result) {
      const { problem } = result;
      if (problem.kind === 'unreadable') unreadable += 1;
      else if (problem.kind === 'no-version') withoutVersion += 1;
      else {
        unmatchedTypes.set(
          problem.type,
          (unmatchedTypes.get(problem.type) ?? 0) + 1,
        );
      }
      return;
    }
    components.add(result.component);
  };
  const walk = (list: RawComponent[] | undefined) => {
    for (const raw of list ?? []) {
      take(raw);
      walk(raw.components);
    }
  };
  walk((json as { components?: RawComponent[] }).components);

  const warnings: string[] = [];
  const count = (n: number) => `${n} ${n === 1 ? 'component' : 'components'}`;
  if (withoutPurl) warnings.push(`${count(withoutPurl)} without a purl`);
  if (unreadable) {
    warnings.push(`${count(unreadable)} with a purl that cannot be read`);
  }
  if (withoutVersion) {
    warnings.push(`${count(withoutVersion)} with a purl without a version`);
  }
  if (unmatchedTypes.size) {
    const total = [...unmatchedTypes.values()].reduce((a, b) => a + b, 0);
    const types = [...unmatchedTypes]
      .sort(([a, x], [b, y]) => y - x || compareText(a, b))
      .map(([type, n]) => `${type} (${n})`)
      .join(', ');
    warnings.push(
      `${count(total)} of package types that cannot be matched: ${types}`,
    );
  }
  return { components: components.items, warnings };
}
