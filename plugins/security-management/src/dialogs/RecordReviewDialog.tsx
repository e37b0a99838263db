import { useApi } from '@backstage/core-plugin-api';
import { DateTime } from 'luxon';
import {
  REVIEW_OUTCOMES,
  ReviewInput,
  reviewInputSchema,
  ReviewOutcome,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { humanize } from '../lib/format';
import { endOfDay, splitList } from '../lib/validation';
import { Field, SelectField } from './fields';
import { DialogProps, FormDialog } from './FormDialog';
import { useForm } from './useForm';

/** Records a periodic security review of an entity. */
export function RecordReviewDialog(props: DialogProps & { entityRef: string }) {
  const api = useApi(securityManagementApiRef);
  const { values, errors, set, check } = useForm(
    { outcome: '', findings: '', conditions: '', nextDueAt: '' },
    props.open,
  );

  const request = (): ReviewInput => {
    const conditions = splitList(values.conditions);
    return {
      entityRef: props.entityRef,
      outcome: values.outcome as ReviewOutcome,
      findings: values.findings.trim(),
      conditions: conditions.length ? conditions : undefined,
      nextDueAt: values.nextDueAt
        ? endOfDay(values.nextDueAt).toUTC().toISO()!
        : undefined,
    };
  };

  const validate = () =>
    check({
      schema: reviewInputSchema,
      request: request(),
      prompts: {
        outcome: 'Choose the outcome',
        findings: 'Describe the findings',
        conditions: 'List the conditions of the approval',
      },
      extra: {
        nextDueAt:
          values.nextDueAt && endOfDay(values.nextDueAt) <= DateTime.now()
            ? 'The next review must be in the future'
            : undefined,
      },
    });

  const submit = () => api.createReview(request());

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title="Record a security review"
      submitLabel="Record review"
      successMessage="Review recorded"
      validate={validate}
      submit={submit}
    >
      <SelectField
        id="review-outcome"
        label="Outcome"
        required
        value={values.outcome}
        error={errors.outcome}
        onChange={set('outcome')}
        options={REVIEW_OUTCOMES.map(o => ({ value: o, label: humanize(o) }))}
      />
      <Field
        id="review-findings"
        label="Findings"
        required
        multiline
        minRows={3}
        value={values.findings}
        error={errors.findings}
        onChange={set('findings')}
      />
      <Field
        id="review-conditions"
        label="Conditions"
        helperText="One per line"
        multiline
        minRows={2}
        value={values.conditions}
        error={errors.conditions}
        onChange={set('conditions')}
      />
      <Field
        id="review-next-due"
        label="Next review due"
        type="date"
        helperText="Leave empty to use the cadence of the entity's risk tier"
        value={values.nextDueAt}
        error={errors.nextDueAt}
        onChange={set('nextDueAt')}
      />
    </FormDialog>
  );
}
