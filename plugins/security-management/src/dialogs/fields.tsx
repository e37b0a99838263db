import { ReactNode } from 'react';
import TextField, { TextFieldProps } from '@material-ui/core/TextField';

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
