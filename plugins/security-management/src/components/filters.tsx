import { FormEvent, ReactNode, useState } from 'react';
import Box, { BoxProps } from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { humanize } from '../lib/format';
import { GROUP_REF_PROMPT, isGroupRef } from '../lib/validation';

function toggle<T>(list: T[], item: T): T[] {
  return list.includes(item) ? list.filter(i => i !== item) : [...list, item];
}

/** A chip that toggles an option of a filter, pressed while it is on. */
export function ToggleChip(props: {
  label: ReactNode;
  on: boolean;
  onClick: () => void;
}) {
  const { on } = props;
  return (
    <Chip
      size="small"
      label={props.label}
      clickable
      aria-pressed={on}
      color={on ? 'primary' : 'default'}
      variant={on ? 'default' : 'outlined'}
      onClick={props.onClick}
      style={{ marginRight: 4 }}
    />
  );
}

/** A labelled row of chips, each toggling one option in or out of a filter. */
export function ChipFilter<T extends string>(props: {
  label: string;
  options: readonly T[];
  /** The chips' labels; the options humanized by default. */
  labels?: Record<T, string>;
  selected: T[];
  onChange: (selected: T[]) => void;
}) {
  return (
    <Box mb={1} role="group" aria-label={props.label}>
      <Typography variant="caption" component="span" style={{ marginRight: 8 }}>
        {props.label}
      </Typography>
      {props.options.map(option => (
        <ToggleChip
          key={option}
          label={props.labels?.[option] ?? humanize(option)}
          on={props.selected.includes(option)}
          onClick={() => props.onChange(toggle(props.selected, option))}
        />
      ))}
    </Box>
  );
}

/**
 * A form row with an owner field and its Apply button. The owner is applied
 * when submitted, trimmed, and only once it is a group ref (or empty).
 * Children stand before the field in the same row, whose layout comes from
 * the Box props given.
 */
export function OwnerFilterForm(
  props: Omit<BoxProps, 'component' | 'onSubmit' | 'display'> & {
    /** The owner field's id. */
    id: string;
    initial: string;
    onApply: (owner: string) => void;
  },
) {
  const { id, initial, onApply, children, ...box } = props;
  const [owner, setOwner] = useState(initial);
  const [error, setError] = useState<string>();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = owner.trim();
    if (trimmed && !isGroupRef(trimmed)) {
      setError(GROUP_REF_PROMPT);
      return;
    }
    setError(undefined);
    onApply(trimmed);
  };

  return (
    <Box component="form" display="flex" {...box} onSubmit={onSubmit}>
      {children}
      <TextField
        id={id}
        label="Owner"
        placeholder="group:default/payments"
        InputLabelProps={{ shrink: true }}
        value={owner}
        error={Boolean(error)}
        helperText={error}
        onChange={e => setOwner(e.target.value)}
      />
      <Button type="submit" variant="outlined">
        Apply
      </Button>
    </Box>
  );
}
