import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { compareText } from './ecosystems';
import { ComponentSourceError } from './errors';
import { componentFromPurl } from './purls';
import { Component } from './types';

// The library compiles a validator's schema on first use and keeps it: one
// validator per spec version for the life of the process.
const validators = new Map<Spec.Version, Validation.JsonValidator>();

const JSON_VERSIONS: readonly string[] = [
  Spec.Version.v1dot2,
  Spec.Version.v1dot3,
  Spec.Version.v1dot4,
  Spec.Version.v1dot5,
  Spec.Version.v1dot6,
  Spec.Version.v1dot7,
];

function validatorFor(version: Spec.Version) {
  let validator = validators.get(version);
  if (!validator) {
    validator = new Validation.JsonValidator(version);
    validators.set(version, validator);
  }
  return validator;
}

function describeSchemaErrors(errors: unknown): string {
  if (!Array.isArray(errors) || !errors.length) return String(errors);
  const first = errors[0] as { instancePath?: string; message?: string };
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
 * the official schema of its `specVersion`, with the CycloneDX library. It
 * is asynchronous because the library's validator is.
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
  const errors = await validatorFor(version as Spec.Version).validate(text);
  if (errors) {
    throw new ComponentSourceError(
      `The SBOM does not follow the CycloneDX ${version} schema: ${describeSchemaErrors(
        errors,
      )}`,
    );
  }

  const components: Component[] = [];
  const seen = new Set<string>();
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
    if (seen.has(result.component.purl)) return;
    seen.add(result.component.purl);
    components.push({ ...result.component });
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
  return { components, warnings };
}
