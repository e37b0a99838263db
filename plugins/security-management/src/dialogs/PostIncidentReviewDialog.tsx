import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import {
  checkInput,
  Incident,
  IncidentReviewInput,
  incidentReviewInputSchema,
  REMEDIATION_ACTION_STATUSES,
  RemediationActionStatus,
} from '@open-itsm/plugin-security-management-common';
import { DateTime } from 'luxon';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { useRefreshSecurityData } from '../lib/data';
import { humanize } from '../lib/format';
import { endOfDay, splitList } from '../lib/validation';
import { Field, SelectField } from './fields';
import { DialogProps, FormDialog } from './FormDialog';

type ActionValues = {
  id?: string;
  title: string;
  owner: string;
  /** A date input value, `yyyy-MM-dd`. */
  due: string;
  status: string;
};

type Values = {
  rootCause: string;
  lessons: string;
  failedControls: string;
  actions: ActionValues[];
};

function valuesOf(incident: Incident): Values {
  return {
    rootCause: incident.review?.rootCause ?? '',
    lessons: incident.review?.lessons ?? '',
    failedControls: incident.failedControls.join(', '),
    actions: (incident.review?.remediationActions ?? []).map(action => ({
      id: action.id,
      title: action.title,
      owner: action.owner ?? '',
      due: action.dueAt ? DateTime.fromISO(action.dueAt).toISODate()! : '',
      status: action.status,
    })),
  };
}

const emptyAction = (): ActionValues => ({
  title: '',
  owner: '',
  due: '',
  status: 'open',
});

/** The request the form's values stand for. */
function requestOf(values: Values, version: number): IncidentReviewInput {
  return {
    version,
    rootCause: values.rootCause,
    lessons: values.lessons,
    failedControls: splitList(values.failedControls),
    remediationActions: values.actions.map(action => ({
      ...(action.id ? { id: action.id } : {}),
      title: action.title,
      owner: action.owner,
      dueAt: action.due ? endOfDay(action.due).toUTC().toISO()! : '',
      status: action.status as RemediationActionStatus,
    })),
  };
}

const PROMPTS: Record<string, string> = {
  rootCause: 'Say what caused the incident',
  title: 'Say what is to be done',
  owner: 'Name the group or user who does it',
  dueAt: 'Choose a due date',
};

/**
 * The post-incident review of an incident: root cause, lessons, the
 * controls that failed (each then needs a retest on every entity it
 * applies to) and the remediation actions, each with an owner, a due date
 * and a status. Sends the version it was opened with; a change made
 * meanwhile is a 409 offered for reloading.
 */
export function PostIncidentReviewDialog(
  props: DialogProps & { incident: Incident },
) {
  const { incident, open } = props;
  const api = useApi(securityManagementApiRef);
  const refresh = useRefreshSecurityData();
  const [values, setValues] = useState<Values>(valuesOf(incident));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [version, setVersion] = useState(incident.version);
  const [reloading, setReloading] = useState(false);

  useEffect(() => {
    if (open) {
      setValues(valuesOf(incident));
      setErrors({});
      setVersion(incident.version);
    }
    // Only when the dialog opens: later versions come through Reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  useEffect(() => {
    if (reloading && incident.version !== version) {
      setValues(valuesOf(incident));
      setErrors({});
      setVersion(incident.version);
      setReloading(false);
    }
  }, [reloading, incident, version]);

  const set =
    (field: 'rootCause' | 'lessons' | 'failedControls') => (value: string) =>
      setValues(v => ({ ...v, [field]: value }));
  const setAction =
    (index: number, field: keyof ActionValues) => (value: string) =>
      setValues(v => ({
        ...v,
        actions: v.actions.map((a, i) =>
          i === index ? { ...a, [field]: value } : a,
        ),
      }));

  const validate = () => {
    const result = checkInput(
      incidentReviewInputSchema,
      requestOf(values, version),
    );
    const found: Record<string, string> = {};
    for (const problem of result.success ? [] : result.problems) {
      // `remediationActions[2].owner` → the owner field of the third action.
      const last = problem.path.split('.').pop() ?? '';
      const key = problem.path.replace(/^remediationActions/, 'actions');
      const value = problem.path.startsWith('remediationActions[')
        ? String(
            values.actions[Number(problem.path.match(/\[(\d+)\]/)?.[1])]?.[
              last === 'dueAt' ? 'due' : (last as keyof ActionValues)
            ] ?? '',
          )
        : String(values[key.split(/[.[]/)[0] as keyof Values] ?? '');
      found[key] ??=
        (!value.trim() ? PROMPTS[last] : undefined) ?? problem.message;
    }
    setErrors(found);
    return Object.keys(found).length === 0;
  };

  const errorOf = (index: number, field: string) =>
    errors[`actions[${index}].${field}`];

  return (
    <FormDialog
      open={open}
      onClose={props.onClose}
      title={`Post-incident review: ${incident.title}`}
      submitLabel="Save review"
      successMessage="Post-incident review saved"
      validate={validate}
      submit={() =>
        api.setIncidentReview({
          id: incident.id,
          review: requestOf(values, version),
        })
      }
      onReload={() => {
        setReloading(true);
        refresh();
      }}
    >
      <Field
        id="pir-root-cause"
        label="Root cause"
        required
        multiline
        minRows={3}
        value={values.rootCause}
        error={errors.rootCause}
        onChange={set('rootCause')}
      />
      <Field
        id="pir-lessons"
        label="Lessons learned"
        multiline
        minRows={2}
        value={values.lessons}
        error={errors.lessons}
        onChange={set('lessons')}
      />
      <Field
        id="pir-failed-controls"
        label="Controls that failed"
        helperText="SecurityControl refs, separated by commas. Each needs a retest on every entity it applies to, passed after the incident is closed."
        value={values.failedControls}
        error={errors.failedControls}
        onChange={set('failedControls')}
      />
      <Box mt={2}>
        <Typography variant="subtitle2">Remediation actions</Typography>
        {errors.actions && (
          <Typography variant="body2" color="error">
            {errors.actions}
          </Typography>
        )}
        {values.actions.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No remediation action yet.
          </Typography>
        )}
        {values.actions.map((action, index) => (
          <Grid
            container
            spacing={1}
            alignItems="flex-start"
            key={action.id ?? `new-${index}`}
            data-testid={`pir-action-${index}`}
          >
            <Grid item xs={12}>
              <Field
                id={`pir-action-${index}-title`}
                label={`Action ${index + 1}`}
                required
                value={action.title}
                error={errorOf(index, 'title')}
                onChange={setAction(index, 'title')}
              />
            </Grid>
            <Grid item xs={12} sm={4}>
              <Field
                id={`pir-action-${index}-owner`}
                label="Owner"
                required
                helperText="Group or user ref"
                value={action.owner}
                error={errorOf(index, 'owner')}
                onChange={setAction(index, 'owner')}
              />
            </Grid>
            <Grid item xs={12} sm={3}>
              <Field
                id={`pir-action-${index}-due`}
                label="Due"
                type="date"
                required
                value={action.due}
                error={errorOf(index, 'dueAt')}
                onChange={setAction(index, 'due')}
              />
            </Grid>
            <Grid item xs={10} sm={4}>
              <SelectField
                id={`pir-action-${index}-status`}
                label="Status"
                required
                value={action.status}
                error={errorOf(index, 'status')}
                onChange={setAction(index, 'status')}
                options={REMEDIATION_ACTION_STATUSES.map(s => ({
                  value: s,
                  label: humanize(s),
                }))}
              />
            </Grid>
            <Grid item xs={2} sm={1}>
              <Box mt={3}>
                <IconButton
                  size="small"
                  aria-label={`Remove action ${index + 1}`}
                  onClick={() =>
                    setValues(v => ({
                      ...v,
                      actions: v.actions.filter((_, i) => i !== index),
                    }))
                  }
                >
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </Box>
            </Grid>
          </Grid>
        ))}
        <Button
          size="small"
          onClick={() =>
            setValues(v => ({ ...v, actions: [...v.actions, emptyAction()] }))
          }
        >
          Add action
        </Button>
      </Box>
    </FormDialog>
  );
}
