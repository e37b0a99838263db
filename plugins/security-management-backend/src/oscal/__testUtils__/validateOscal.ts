import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * NIST's OSCAL 1.0.6 JSON schemas (draft-07, in ../__fixtures__/schemas),
 * compiled with ajv's draft-07 mode and ajv-formats, as the tests' judge of
 * what the exports produce.
 */

const SCHEMAS = join(__dirname, '..', '__fixtures__', 'schemas');

function compile(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8'));
  // Not strict: NIST's schemas use `$id` fragments and keywords ajv's
  // strict mode warns about; every constraint is still checked.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

let validators:
  | {
      assessmentResults: ValidateFunction;
      componentDefinition: ValidateFunction;
    }
  | undefined;

function loaded() {
  validators ??= {
    assessmentResults: compile('oscal_assessment-results_schema.json'),
    componentDefinition: compile('oscal_component_schema.json'),
  };
  return validators;
}

function problems(validate: ValidateFunction, doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(
    error => `${error.instancePath || '/'} ${error.message}`,
  );
}

/** What is wrong with an assessment-results document by NIST's schema; empty when valid. */
export function assessmentResultsProblems(doc: unknown): string[] {
  return problems(loaded().assessmentResults, doc);
}

/** What is wrong with a component-definition document by NIST's schema; empty when valid. */
export function componentDefinitionProblems(doc: unknown): string[] {
  return problems(loaded().componentDefinition, doc);
}
