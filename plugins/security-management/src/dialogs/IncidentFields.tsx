import {
  INCIDENT_SEVERITIES,
  IncidentSeverity,
} from '@open-itsm/plugin-security-management-common';
import { humanize } from '../lib/format';
import { splitList } from '../lib/validation';
import { Field, SelectField } from './fields';

/** The form values of the fields an incident is opened and edited with. */
export interface IncidentValues {
  title: string;
  severity: string;
  description: string;
  affectedEntities: string;
  failedControls: string;
}

/** What to say for an incident's required fields left empty. */
export const INCIDENT_PROMPTS: Partial<Record<keyof IncidentValues, string>> = {
  title: 'Enter a title',
  severity: 'Choose a severity',
  affectedEntities: 'Name at least one entity',
};

/**
 * The request's fields from the form: trimmed, and the lists split on commas.
 * The description is empty rather than absent, so that an edit can clear it.
 */
export function incidentOf(values: IncidentValues) {
  return {
    title: values.title.trim(),
    severity: values.severity as IncidentSeverity,
    description: values.description.trim(),
    affectedEntities: splitList(values.affectedEntities),
    failedControls: splitList(values.failedControls),
  };
}

/**
 * Title, severity, description, affected entities and failed controls, as
 * the Open and Edit incident dialogs show them.
 */
export function IncidentFields(props: {
  /** Prefix of the fields' ids, e.g. `incident` gives `incident-title`. */
  idPrefix: string;
  values: IncidentValues;
  errors: Partial<Record<keyof IncidentValues, string>>;
  set: (field: keyof IncidentValues) => (value: string) => void;
}) {
  const { idPrefix, values, errors, set } = props;
  return (
    <>
      <Field
        id={`${idPrefix}-title`}
        label="Title"
        required
        value={values.title}
        error={errors.title}
        onChange={set('title')}
      />
      <SelectField
        id={`${idPrefix}-severity`}
        label="Severity"
        required
        value={values.severity}
        error={errors.severity}
        onChange={set('severity')}
        options={INCIDENT_SEVERITIES.map(s => ({
          value: s,
          label: humanize(s),
        }))}
      />
      <Field
        id={`${idPrefix}-description`}
        label="Description"
        multiline
        minRows={3}
        value={values.description}
        error={errors.description}
        onChange={set('description')}
      />
      <Field
        id={`${idPrefix}-affected`}
        label="Affected entities"
        required
        helperText="Entity refs, separated by commas"
        value={values.affectedEntities}
        error={errors.affectedEntities}
        onChange={set('affectedEntities')}
      />
      <Field
        id={`${idPrefix}-failed-controls`}
        label="Failed controls"
        helperText="SecurityControl refs, separated by commas"
        value={values.failedControls}
        error={errors.failedControls}
        onChange={set('failedControls')}
      />
    </>
  );
}
