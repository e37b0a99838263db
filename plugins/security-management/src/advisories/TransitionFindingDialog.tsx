import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import {
  ADVISORY_FINDING_TARGETS,
  AdvisoryFinding,
  advisoryFindingTransitionInputSchema,
  VEX_JUSTIFICATIONS,
  VexJustification,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { Field, SelectField } from '../dialogs/fields';
import { DialogProps, FormDialog } from '../dialogs/FormDialog';
import { useForm } from '../dialogs/useForm';
import { OverflowText } from '../components/OverflowText';
import { VEX_JUSTIFICATION_LABELS } from './format';

/** A status a person may move a finding to. */
export type FindingTarget = (typeof ADVISORY_FINDING_TARGETS)[number];

/** Each move as the dialog words it. */
const MOVES: Record<
  FindingTarget,
  {
    action: string;
    title: string;
    done: string;
    noteLabel: string;
    noteRequired: boolean;
  }
> = {
  acknowledged: {
    action: 'Acknowledge',
    title: 'Acknowledge advisory',
    done: 'acknowledged',
    noteLabel: 'Note',
    noteRequired: false,
  },
  mitigated: {
    action: 'Mitigated',
    title: 'Mark advisory mitigated',
    done: 'marked mitigated',
    noteLabel: 'What mitigates it',
    noteRequired: true,
  },
  'not-affected': {
    action: 'Not affected',
    title: 'Declare entity not affected',
    done: 'declared not affected',
    noteLabel: 'Why the entity is not affected',
    noteRequired: true,
  },
  resolved: {
    action: 'Resolve',
    title: 'Resolve advisory',
    done: 'resolved',
    noteLabel: 'How it was fixed',
    noteRequired: true,
  },
  open: {
    action: 'Reopen',
    title: 'Reopen advisory',
    done: 'reopened',
    noteLabel: 'Note',
    noteRequired: false,
  },
};

/** The label of the button that opens the dialog for a move. */
export function moveLabel(target: FindingTarget): string {
  return MOVES[target].action;
}

/**
 * The moves offered from a status: an active finding can be acknowledged
 * (once), mitigated, declared not affected or resolved; a closed one
 * reopened. Never to the status it has, which the server refuses.
 */
export function movesFrom(status: AdvisoryFinding['status']): FindingTarget[] {
  switch (status) {
    case 'open':
      return ['acknowledged', 'mitigated', 'not-affected', 'resolved'];
    case 'acknowledged':
      return ['mitigated', 'not-affected', 'resolved'];
    default:
      return ['open'];
  }
}

/**
 * Moves a finding to `target`. Not affected needs a VEX justification;
 * mitigated, not affected and resolved need a note. The request is checked
 * with the server's own schema before it is sent.
 */
export function TransitionFindingDialog(
  props: DialogProps & { finding: AdvisoryFinding; target: FindingTarget },
) {
  const { finding, target } = props;
  const move = MOVES[target];
  const api = useApi(securityManagementApiRef);
  const { values, errors, set, check } = useForm(
    { justification: '', note: '' },
    props.open,
  );

  const request = () => ({
    status: target,
    justification:
      target === 'not-affected' && values.justification
        ? (values.justification as VexJustification)
        : undefined,
    note: values.note.trim() || undefined,
  });

  const validate = () =>
    check({
      schema: advisoryFindingTransitionInputSchema,
      request: request(),
      prompts: {
        justification: 'Choose why the entity is not affected',
        note: 'Say what was done or why',
      },
    });

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title={move.title}
      submitLabel={move.action}
      successMessage={`${finding.advisory.id} ${move.done}`}
      validate={validate}
      submit={() =>
        api.transitionAdvisoryFinding({ id: finding.id, ...request() })
      }
    >
      <Typography variant="subtitle2">
        {finding.advisory.id} on {finding.entityTitle ?? finding.entityRef}
      </Typography>
      <Typography variant="body2" gutterBottom>
        <OverflowText text={finding.advisory.summary} lines={3} />
      </Typography>
      {target === 'not-affected' && (
        <SelectField
          id="advisory-justification"
          label="Justification"
          required
          value={values.justification}
          error={errors.justification}
          onChange={set('justification')}
          options={VEX_JUSTIFICATIONS.map(j => ({
            value: j,
            label: VEX_JUSTIFICATION_LABELS[j],
          }))}
          helperText="Why the vulnerability cannot be exploited here (CISA VEX)"
        />
      )}
      <Field
        id="advisory-note"
        label={move.noteLabel}
        required={move.noteRequired}
        multiline
        minRows={2}
        value={values.note}
        error={errors.note}
        onChange={set('note')}
      />
    </FormDialog>
  );
}
