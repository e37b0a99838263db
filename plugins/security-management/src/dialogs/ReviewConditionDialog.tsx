import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import {
  ReviewCondition,
  ReviewConditionUpdate,
  reviewConditionUpdateSchema,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { useRefreshSecurityData } from '../lib/data';
import { Field } from './fields';
import { DialogProps, FormDialog } from './FormDialog';
import { useForm } from './useForm';

/**
 * Marks a condition of a review met, or waives it with a note saying why.
 * Someone who signed it off meanwhile wins (409, offered for reloading).
 */
export function ReviewConditionDialog(
  props: DialogProps & {
    condition: ReviewCondition;
    status: 'met' | 'waived';
  },
) {
  const { condition, status } = props;
  const api = useApi(securityManagementApiRef);
  const refresh = useRefreshSecurityData();
  const { values, errors, set, check } = useForm({ note: '' }, props.open);
  const waiving = status === 'waived';

  const request = (): ReviewConditionUpdate => ({
    status,
    note: values.note.trim() || undefined,
  });

  const validate = () =>
    check({
      schema: reviewConditionUpdateSchema,
      request: request(),
      prompts: { note: 'Say why the condition is waived' },
    });

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title={waiving ? 'Waive a review condition' : 'Mark a condition met'}
      submitLabel={waiving ? 'Waive' : 'Mark met'}
      successMessage={waiving ? 'Condition waived' : 'Condition met'}
      validate={validate}
      submit={() =>
        api.updateReviewCondition({
          reviewId: condition.reviewId,
          position: condition.position,
          ...request(),
        })
      }
      onReload={() => {
        refresh();
        props.onClose();
      }}
    >
      <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
        {condition.text}
      </Typography>
      <Field
        id="review-condition-note"
        label="Note"
        required={waiving}
        multiline
        minRows={2}
        helperText={
          waiving ? 'Why the condition no longer applies' : 'How it was met'
        }
        value={values.note}
        error={errors.note}
        onChange={set('note')}
      />
    </FormDialog>
  );
}
