import { ReactNode } from 'react';
import TextField, { TextFieldProps } from '@material-ui/core/TextField';
import { ControlSummary } from '@open-itsm/plugin-security-management-common';

/** A full-width text field with its validation error as helper text. */
export function Field(
  props: Omit<TextFieldProps, 'error' | 'onChange'> & {
    error?: string;
    onChange: (value: string) => void;
  },
) {
  const { error, onChange, helperText, ...rest } = props;
  return (
    <TextField
      fullWidth
      margin="normal"
      InputLabelProps={{ shrink: true }}
      {...rest}
      error={Boolean(error)}
      helperText={error ?? helperText}
      onChange={e => onChange(e.target.value)}
    />
  );
}

/** A native select; native so that it works with keyboards and in tests. */
export function SelectField(
  props: Omit<TextFieldProps, 'error' | 'onChange' | 'select'> & {
    error?: string;
    onChange: (value: string) => void;
    options: Array<{ value: string; label: ReactNode }>;
    placeholder?: string;
  },
) {
  const { options, placeholder, ...rest } = props;
  return (
    <Field {...rest} select SelectProps={{ native: true }}>
      <option value="">{placeholder ?? 'Choose…'}</option>
      {options.map(o => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </Field>
  );
}

/** The required select of the control a dialog is about. */
export function ControlField(props: {
  id: string;
  controls: ControlSummary[];
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const { controls, ...rest } = props;
  return (
    <SelectField
      {...rest}
      label="Control"
      required
      options={controls.map(c => ({ value: c.ref, label: c.title }))}
    />
  );
}
