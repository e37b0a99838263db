import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  ExternalReference,
  Incident,
  IncidentPatch,
  incidentPatchSchema,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { useRefreshSecurityData } from '../lib/data';
import { Field } from './fields';
import { DialogProps, FormDialog } from './FormDialog';
import { INCIDENT_PROMPTS, IncidentFields, incidentOf } from './IncidentFields';
import { useForm } from './useForm';

/** One reference per line: its type, its URL and an optional label. */
export function formatReferences(references: ExternalReference[]): string {
  return references
    .map(r => [r.type, r.url, r.label].filter(Boolean).join(' '))
    .join('\n');
}

/** The lines of the references field; a bare URL is a `link`. */
export function parseReferences(value: string): ExternalReference[] {
  return value
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .map(line => {
      const [first, second, ...rest] = line.split(/\s+/);
      if (second === undefined) return { type: 'link', url: first };
      const label = rest.join(' ');
      return { type: first, url: second, ...(label ? { label } : {}) };
    });
}

function valuesOf(incident: Incident) {
  return {
    title: incident.title,
    severity: incident.severity as string,
    description: incident.description ?? '',
    affectedEntities: incident.affectedEntities.join(', '),
    failedControls: incident.failedControls.join(', '),
    references: formatReferences(incident.externalReferences),
  };
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Changes an incident's title, description, severity, affected entities,
 * failed controls and references. Sends the version it was opened with, so
 * a change made meanwhile by someone else is refused (409) and offered for
 * reloading rather than overwritten.
 */
export function EditIncidentDialog(
  props: DialogProps & { incident: Incident },
) {
  const { incident, open } = props;
  const api = useApi(securityManagementApiRef);
  const refresh = useRefreshSecurityData();
  const { values, errors, set, check, reset } = useForm(
    valuesOf(incident),
    open,
  );
  const [version, setVersion] = useState(incident.version);
  const [reloading, setReloading] = useState(false);

  useEffect(() => {
    if (open) setVersion(incident.version);
    // Only when the dialog opens: later versions come through Reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  useEffect(() => {
    if (reloading && incident.version !== version) {
      reset(valuesOf(incident));
      setVersion(incident.version);
      setReloading(false);
    }
  }, [reloading, incident, version, reset]);

  const request = (): IncidentPatch => {
    const next = {
      ...incidentOf(values),
      externalReferences: parseReferences(values.references),
    };
    const before = {
      ...valuesOf(incident),
      affectedEntities: incident.affectedEntities,
      failedControls: incident.failedControls,
      externalReferences: incident.externalReferences,
    };
    const patch: Record<string, unknown> = { version };
    for (const [key, value] of Object.entries(next)) {
      if (!same(value, before[key as keyof typeof before])) patch[key] = value;
    }
    return patch as IncidentPatch;
  };

  const validate = () => {
    const patch = request();
    return check({
      schema: incidentPatchSchema,
      request: patch,
      prompts: INCIDENT_PROMPTS,
      fieldOf: { externalReferences: 'references' },
      extra:
        Object.keys(patch).length === 1
          ? { title: 'Change at least one field' }
          : undefined,
    });
  };

  return (
    <FormDialog
      open={open}
      onClose={props.onClose}
      title={`Edit incident: ${incident.title}`}
      submitLabel="Save"
      successMessage="Incident changed"
      validate={validate}
      submit={() => api.updateIncident({ id: incident.id, patch: request() })}
      onReload={() => {
        setReloading(true);
        refresh();
      }}
    >
      <IncidentFields
        idPrefix="edit-incident"
        values={values}
        errors={errors}
        set={set}
      />
      <Field
        id="edit-incident-references"
        label="External references"
        multiline
        minRows={2}
        helperText="One per line: type, URL and an optional label, e.g. ticket https://jira.example.com/SEC-1 SEC-1"
        value={values.references}
        error={errors.references}
        onChange={set('references')}
      />
    </FormDialog>
  );
}
