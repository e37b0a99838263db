import { useApi } from '@backstage/core-plugin-api';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import { DateTime } from 'luxon';
import {
  CampaignInput,
  campaignInputSchema,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { AsyncContent } from '../components/AsyncContent';
import { Field } from '../dialogs/fields';
import { DialogProps, FormDialog } from '../dialogs/FormDialog';
import { EMPTY_SCOPE, ScopeFields, scopeOf } from '../dialogs/ScopeFields';
import { useForm } from '../dialogs/useForm';
import { useSecurityData } from '../lib/data';
import { endOfDay, splitList } from '../lib/validation';

/** The control refs checked, kept in the form as one comma-separated value. */
function toggled(list: string, ref: string, on: boolean): string {
  const refs = new Set(splitList(list));
  if (on) refs.add(ref);
  else refs.delete(ref);
  return [...refs].join(',');
}

/**
 * Starts a campaign: what to do (controls of the library and/or advisory
 * ids), where (entities named and/or a catalog filter) and by when. The
 * request is checked with the contract's schema first; the server then
 * checks the controls, advisories and entities exist.
 */
export function StartCampaignDialog(props: DialogProps) {
  const api = useApi(securityManagementApiRef);
  const controls = useSecurityData(
    a => (props.open ? a.listControls() : Promise.resolve({ items: [] })),
    [props.open],
  );
  const { values, errors, set, check } = useForm(
    {
      name: '',
      goal: '',
      controlRefs: '',
      advisoryIds: '',
      ...EMPTY_SCOPE,
      deadline: '',
    },
    props.open,
  );

  const scope = scopeOf(values);

  const request = (): CampaignInput => {
    const controlRefs = splitList(values.controlRefs);
    const advisoryIds = splitList(values.advisoryIds);
    return {
      name: values.name.trim(),
      goal: values.goal.trim(),
      controlRefs: controlRefs.length ? controlRefs : undefined,
      advisoryIds: advisoryIds.length ? advisoryIds : undefined,
      entityRefs: scope.entityRefs,
      filter: scope.filter,
      deadline: values.deadline
        ? endOfDay(values.deadline).toUTC().toISO()!
        : '',
    };
  };

  const validate = () => {
    const checked = request();
    return check({
      schema: campaignInputSchema,
      request: checked,
      prompts: {
        name: 'Give the campaign a name',
        goal: 'Say what the campaign should achieve',
        controlRefs: 'Choose controls, or name advisories below',
        entityRefs: 'Name entities, or fill in the filter below',
        deadline: 'Choose the deadline',
      },
      fieldOf: { filter: 'kind' },
      extra: {
        controlRefs:
          !checked.controlRefs && !checked.advisoryIds
            ? 'Choose controls, or name advisories below'
            : undefined,
        entityRefs:
          !checked.entityRefs && !checked.filter
            ? 'Name entities, or fill in the filter below'
            : undefined,
        owner: scope.ownerProblem,
        deadline:
          values.deadline && endOfDay(values.deadline) <= DateTime.now()
            ? 'The deadline must be in the future'
            : undefined,
      },
    });
  };

  const submit = () => api.startCampaign(request());
  const checked = new Set(splitList(values.controlRefs));

  return (
    <FormDialog
      open={props.open}
      onClose={props.onClose}
      title="Start a campaign"
      submitLabel="Start campaign"
      successMessage="Campaign started"
      validate={validate}
      submit={submit}
    >
      <Field
        id="campaign-name"
        label="Name"
        required
        inputProps={{ maxLength: 200 }}
        value={values.name}
        error={errors.name}
        onChange={set('name')}
      />
      <Field
        id="campaign-goal"
        label="Goal"
        required
        multiline
        minRows={2}
        value={values.goal}
        error={errors.goal}
        onChange={set('goal')}
      />
      <FormControl
        component="fieldset"
        margin="normal"
        error={Boolean(errors.controlRefs)}
        fullWidth
      >
        <FormLabel component="legend">Controls</FormLabel>
        <AsyncContent state={controls} action="view the control library">
          {list => (
            <FormGroup style={{ maxHeight: 200, overflowY: 'auto' }}>
              {list.items.map(control => (
                <FormControlLabel
                  key={control.ref}
                  control={
                    <Checkbox
                      size="small"
                      checked={checked.has(control.ref)}
                      onChange={e =>
                        set('controlRefs')(
                          toggled(
                            values.controlRefs,
                            control.ref,
                            e.target.checked,
                          ),
                        )
                      }
                    />
                  }
                  label={`${control.title} (${control.applicableCount})`}
                />
              ))}
            </FormGroup>
          )}
        </AsyncContent>
        <FormHelperText>
          {errors.controlRefs ??
            'Done on an entity when it passes, or has an approved exception'}
        </FormHelperText>
      </FormControl>
      <Field
        id="campaign-advisories"
        label="Advisories"
        helperText="Advisory ids, separated by commas; done when mitigated, not affected or resolved"
        placeholder="GHSA-xxxx-xxxx-xxxx"
        value={values.advisoryIds}
        error={errors.advisoryIds}
        onChange={set('advisoryIds')}
      />
      <ScopeFields
        idPrefix="campaign"
        entitiesLabel="Entities"
        values={values}
        errors={errors}
        set={set}
      />
      <Field
        id="campaign-deadline"
        label="Deadline"
        type="date"
        required
        value={values.deadline}
        error={errors.deadline}
        onChange={set('deadline')}
      />
    </FormDialog>
  );
}
