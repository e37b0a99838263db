import {
  ControlSummary,
  OSCAL_VERSION,
  SecurityTestMethod,
  TestRecord,
  TestResult,
} from '@open-itsm/plugin-security-management-common';
import { OscalMetadata, ownerParty } from './componentDefinition';
import { contentVersion } from './documentVersion';
import {
  componentType,
  componentUuid,
  controlLibraryResource,
  libraryControlId,
  OscalProperty,
  OscalResource,
  oscalDateTime,
  OscalSubject,
  oneLine,
  prop,
  propsOf,
  subjectDescription,
  subjectProps,
  subjectTitle,
} from './oscalParts';
import { safeHref } from './safeHref';
import { oscalUuid } from './uuid';

/** An observation of OSCAL assessment results: one test record. */
export interface OscalObservation {
  uuid: string;
  title: string;
  description: string;
  props?: OscalProperty[];
  methods: Array<'TEST' | 'EXAMINE'>;
  types: string[];
  subjects: Array<{ 'subject-uuid': string; type: 'component'; title: string }>;
  'relevant-evidence'?: Array<{ href: string; description: string }>;
  collected: string;
  remarks?: string;
}

/** A finding of OSCAL assessment results: one tested control. */
export interface OscalFinding {
  uuid: string;
  title: string;
  description: string;
  props?: OscalProperty[];
  target: {
    type: 'objective-id';
    'target-id': string;
    title: string;
    status: {
      state: 'satisfied' | 'not-satisfied';
      reason: 'pass' | 'fail' | 'other';
      remarks: string;
    };
  };
  'related-observations': Array<{ 'observation-uuid': string }>;
}

/** The one result of the exported assessment results: the period. */
export interface OscalResult {
  uuid: string;
  title: string;
  description: string;
  start: string;
  end: string;
  props?: OscalProperty[];
  'local-definitions': { components: Array<Record<string, unknown>> };
  'reviewed-controls': {
    'control-selections': Array<{
      description: string;
      'include-controls'?: Array<{ 'control-id': string }>;
    }>;
  };
  observations?: OscalObservation[];
  findings?: OscalFinding[];
}

/** An OSCAL assessment-results document as the plugin exports it. */
export interface AssessmentResultsDocument {
  'assessment-results': {
    uuid: string;
    metadata: OscalMetadata;
    'import-ap': { href: string; remarks: string };
    results: OscalResult[];
    'back-matter': { resources: OscalResource[] };
  };
}

/**
 * How each test method of the plugin was an assessment method of NIST SP
 * 800-53A: automated tests and penetration tests exercise the system
 * (TEST); manual tests and audits examine it, its records and its
 * configuration (EXAMINE). No recorded method says people were
 * interviewed, so INTERVIEW is never claimed.
 */
export const OSCAL_METHODS: Record<SecurityTestMethod, 'TEST' | 'EXAMINE'> = {
  automated: 'TEST',
  'penetration-test': 'TEST',
  manual: 'EXAMINE',
  audit: 'EXAMINE',
};

const REASONS: Record<TestResult, 'pass' | 'fail' | 'other'> = {
  pass: 'pass',
  fail: 'fail',
  partial: 'other',
  error: 'other',
};

/** The OSCAL state of an entity's lifecycle in the catalog. */
function componentState(lifecycle: string | undefined) {
  switch (lifecycle?.toLowerCase()) {
    case 'production':
      return 'operational';
    case 'experimental':
    case 'development':
      return 'under-development';
    case 'deprecated':
      return 'disposition';
    default:
      return 'other';
  }
}

function day(instant: string): string {
  return instant.slice(0, 10);
}

function observationOf(options: {
  record: TestRecord;
  control: ControlSummary | undefined;
  subject: OscalSubject;
}): OscalObservation {
  const { record, control, subject } = options;
  const controlTitle = oneLine(control?.title) ?? record.controlRef;
  const evidence = safeHref(record.evidenceUrl);
  return {
    uuid: oscalUuid('observation', record.id),
    title: `${controlTitle}: ${record.result}`,
    description: `A ${record.method} test of ${controlTitle} on ${subjectTitle(
      subject,
    )}, recorded by ${record.tester}: ${record.result}.`,
    props: propsOf(
      prop('test-record-id', record.id),
      prop('control-ref', record.controlRef),
      prop('result', record.result),
      prop('test-method', record.method),
      prop('tester', record.tester),
      prop('external-id', record.externalId),
      prop('recorded-at', oscalDateTime(record.recordedAt)),
    ),
    methods: [OSCAL_METHODS[record.method]],
    types: ['control-objective'],
    subjects: [
      {
        'subject-uuid': componentUuid(subject.entityRef),
        type: 'component',
        title: subjectTitle(subject),
      },
    ],
    ...(evidence
      ? {
          'relevant-evidence': [
            { href: evidence, description: 'Evidence recorded with the test.' },
          ],
        }
      : {}),
    collected: oscalDateTime(record.testedAt),
    ...(record.notes?.trim() ? { remarks: record.notes } : {}),
  };
}

/**
 * One finding per tested control: satisfied when its latest test in the
 * period passed. `records` are newest first, as the store lists them.
 */
function findingsOf(options: {
  resultUuid: string;
  records: TestRecord[];
  controls: Map<string, ControlSummary>;
}): OscalFinding[] {
  const { resultUuid, records, controls } = options;
  const byControl = new Map<string, TestRecord[]>();
  for (const record of records) {
    const list = byControl.get(record.controlRef) ?? [];
    list.push(record);
    byControl.set(record.controlRef, list);
  }
  return [...byControl.keys()].sort().map(controlRef => {
    const tests = byControl.get(controlRef)!;
    const latest = tests[0];
    const control = controls.get(controlRef);
    const title = oneLine(control?.title) ?? controlRef;
    const count = tests.length === 1 ? '1 test' : `${tests.length} tests`;
    return {
      uuid: oscalUuid('finding', resultUuid, controlRef),
      title,
      description: `${title}: the latest of ${count} in the period, on ${oscalDateTime(
        latest.testedAt,
      )}, was ${latest.result}.`,
      props: propsOf(
        prop('control-ref', controlRef),
        prop('latest-result', latest.result),
        prop('latest-test-record-id', latest.id),
        ...(control?.frameworks ?? []).map(mapping =>
          prop('framework-ref', mapping.ref, { class: mapping.framework }),
        ),
      ),
      target: {
        type: 'objective-id',
        'target-id': libraryControlId(controlRef),
        title,
        status: {
          state: latest.result === 'pass' ? 'satisfied' : 'not-satisfied',
          reason: REASONS[latest.result],
          remarks: `Latest test in the period: ${latest.result}.`,
        },
      },
      'related-observations': tests.map(record => ({
        'observation-uuid': oscalUuid('observation', record.id),
      })),
    };
  });
}

/**
 * An entity's test records of a period as OSCAL assessment results: one
 * result over the period, an observation per test record, a finding per
 * tested control. Only recorded tests appear.
 */
export function buildAssessmentResults(options: {
  subject: OscalSubject;
  /** The test records tested in the period, newest first. */
  records: TestRecord[];
  /** The tested controls still in the library, by ref. */
  controls: Map<string, ControlSummary>;
  from: string;
  to: string;
  now: Date;
  /** Where the entity's component definition is served, when known. */
  componentDefinitionUrl?: string;
}): AssessmentResultsDocument {
  const { subject, records, controls, componentDefinitionUrl } = options;
  const { entityRef } = subject;
  const from = oscalDateTime(options.from);
  const to = oscalDateTime(options.to);
  const title = subjectTitle(subject);
  const owner = ownerParty(oneLine(subject.owner));
  const resultUuid = oscalUuid('result', entityRef, from, to);
  const controlRefs = [...new Set(records.map(r => r.controlRef))].sort();

  const plan: OscalResource = {
    uuid: oscalUuid('assessment-plan', entityRef),
    title: `Testing plan of ${title}`,
    description: `No OSCAL assessment plan is kept: what is tested, how and how often is each SecurityControl's testing (cadence, method and procedure) in the control library, as the component definition of ${entityRef} lists it.`,
    ...(componentDefinitionUrl
      ? {
          rlinks: [
            {
              href: componentDefinitionUrl,
              'media-type': 'application/oscal.component-definition+json',
            },
          ],
        }
      : {}),
  };
  const metadata = {
    title: `Security test results of ${title}, ${day(from)} to ${day(to)}`,
    'oscal-version': OSCAL_VERSION,
    ...(owner ? { roles: [owner.role], parties: [owner.party] } : {}),
    remarks:
      'Exported from Security Management for Backstage: the test records of the period as they were recorded, by people or pipelines. Nothing is added.',
  };
  const observations = records.map(record =>
    observationOf({
      record,
      control: controls.get(record.controlRef),
      subject,
    }),
  );
  const findings = findingsOf({ resultUuid, records, controls });
  const result: OscalResult = {
    uuid: resultUuid,
    title: `Security tests of ${title}`,
    description: `The security tests recorded for ${entityRef} with a tested-at from ${from} to ${to}: ${records.length} test records of ${controlRefs.length} controls.`,
    start: from,
    end: to,
    props: propsOf(prop('entity-ref', entityRef)),
    'local-definitions': {
      components: [
        {
          uuid: componentUuid(entityRef),
          type: componentType(subject),
          title,
          description: subjectDescription(subject),
          props: propsOf(...subjectProps(subject)),
          status: { state: componentState(subject.lifecycle) },
        },
      ],
    },
    'reviewed-controls': {
      'control-selections': [
        controlRefs.length
          ? {
              description:
                'The controls tested in the period, by their id in the Security Management control library.',
              'include-controls': controlRefs.map(ref => ({
                'control-id': libraryControlId(ref),
              })),
            }
          : { description: 'No control was tested in the period.' },
      ],
    },
    ...(observations.length ? { observations } : {}),
    ...(findings.length ? { findings } : {}),
  };
  const body = {
    uuid: oscalUuid('assessment-results', entityRef, from, to),
    'import-ap': {
      href: `#${plan.uuid}`,
      remarks:
        'The plan is the back-matter resource this points to: the controls and their testing in the Security Management control library.',
    },
    results: [result],
    'back-matter': { resources: [plan, controlLibraryResource()] },
  };
  const { title: documentTitle, ...rest } = metadata;
  return {
    'assessment-results': {
      uuid: body.uuid,
      metadata: {
        title: documentTitle,
        'last-modified': oscalDateTime(options.now),
        version: contentVersion({ metadata, body }),
        ...rest,
      },
      'import-ap': body['import-ap'],
      results: body.results,
      'back-matter': body['back-matter'],
    },
  };
}
