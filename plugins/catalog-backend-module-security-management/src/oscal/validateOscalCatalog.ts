import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import catalogSchema from './schema/oscal_catalog_schema.json';

/** The OSCAL version of the schema documents are validated against. */
export const OSCAL_CATALOG_SCHEMA_VERSION = '1.0.6';

/** How many schema problems a message quotes before it counts the rest. */
const MAX_QUOTED_PROBLEMS = 5;

let compiled: ValidateFunction | undefined;

// Compiled once per process, on first use: NIST's schema is large.
function validator(): ValidateFunction {
  // Not strict: NIST's schemas use `$id` fragments and keywords ajv's strict
  // mode warns about; every constraint is still checked.
  compiled ??= addFormats(new Ajv({ strict: false, allErrors: true })).compile(
    catalogSchema,
  );
  return compiled;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    return `${where} has an unknown property '${
      (error.params as { additionalProperty: string }).additionalProperty
    }'`;
  }
  return `${where} ${error.message}`;
}

/**
 * What is wrong with a document as an OSCAL catalog by NIST's OSCAL catalog
 * JSON schema; empty when it is a valid catalog (a resolved profile is a
 * catalog). A profile that was not resolved is named as such.
 */
export function oscalCatalogProblems(document: unknown): string[] {
  if (
    typeof document === 'object' &&
    document !== null &&
    'profile' in document &&
    !('catalog' in document)
  ) {
    return [
      'the document is an OSCAL profile, not a catalog; import the resolved profile catalog (the profile with its catalog resolved, as NIST publishes for each SP 800-53 baseline)',
    ];
  }
  const validate = validator();
  if (validate(document)) return [];
  // allErrors reports every failing branch of a oneOf; the same place and
  // message once is enough.
  return [...new Set((validate.errors ?? []).map(describe))];
}

/** The problems of {@link oscalCatalogProblems} as one message. */
export function describeOscalProblems(problems: string[]): string {
  const quoted = problems.slice(0, MAX_QUOTED_PROBLEMS).join('; ');
  const more = problems.length - MAX_QUOTED_PROBLEMS;
  return `not a valid OSCAL catalog by NIST's OSCAL ${OSCAL_CATALOG_SCHEMA_VERSION} catalog JSON schema: ${quoted}${
    more > 0 ? `; and ${more} more` : ''
  }`;
}
