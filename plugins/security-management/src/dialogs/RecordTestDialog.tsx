import { useApi } from '@backstage/core-plugin-api';
import {
  ControlSummary,
  TEST_RESULTS,
  TestRecordInput,
  TestResult,
  testRecordInputSchema,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { humanize } from '../lib/format';
import { ControlField, Field, SelectField } from './fields';
import { DialogProps, FormDialog } from './FormDialog';
import { useForm } from './useForm';

/** Records the result of a security test of a control on an entity. */
export function RecordTestDialog(
  props: DialogProps & {
    entityRef: string;
    controls: ControlSummary[];
    controlRef?: string;
  },
) {
  const api = useApi(securityManagementApiRef);
  const { values, errors, set, check } = useForm(
    {
      controlRef: props.controlRef ?? '',
      result: '',
      evidenceUrl: '',
      notes: '',
    },
    props.open,
  );

  const request = (): TestRecordInput => ({
    controlRef: values.controlRef,
    entityRef: props.entityRef,
    result: values.result as TestResult,
    evidenceUrl: values.evidenceUrl.trim() || undefined,
    notes: values.notes.trim() || undefined,
  });

  const validate = () =>
    check({
      schema: testRecordInputSchema,
      request: request(),
      prompts: {
        controlRef: 'Choose the control tested',
        result: 'Choose the result',
      },
    });

  const submit = () => api.createTestRecord(request());

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title="Record a security test"
      submitLabel="Record test"
      successMessage="Test recorded"
      validate={validate}
      submit={submit}
    >
      <ControlField
        id="record-test-control"
        controls={props.controls}
        value={values.controlRef}
        error={errors.controlRef}
        onChange={set('controlRef')}
      />
      <SelectField
        id="record-test-result"
        label="Result"
        required
        value={values.result}
        error={errors.result}
        onChange={set('result')}
        options={TEST_RESULTS.map(r => ({ value: r, label: humanize(r) }))}
      />
      <Field
        id="record-test-evidence"
        label="Evidence URL"
        placeholder="https://ci.example.com/runs/123"
        value={values.evidenceUrl}
        error={errors.evidenceUrl}
        onChange={set('evidenceUrl')}
      />
      <Field
        id="record-test-notes"
        label="Notes"
        multiline
        minRows={2}
        value={values.notes}
        onChange={set('notes')}
      />
    </FormDialog>
  );
}
