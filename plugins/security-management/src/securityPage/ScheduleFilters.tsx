import { FormEvent, useState } from 'react';
import { DateTime } from 'luxon';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { ScheduleQuery } from '@open-itsm/plugin-security-management-common';
import { endOfDay, GROUP_REF_PROMPT, isGroupRef } from '../lib/validation';

/** The schedule's default range: today and the next 30 days. */
export function defaultScheduleRange(): { from: string; to: string } {
  const today = DateTime.now();
  return {
    from: today.toISODate()!,
    to: today.plus({ days: 30 }).toISODate()!,
  };
}

/** The filter form as the schedule query it stands for. */
export function toScheduleQuery(filters: {
  owner: string;
  from: string;
  to: string;
}): ScheduleQuery {
  return {
    owner: filters.owner.trim() || undefined,
    from: filters.from
      ? DateTime.fromISO(filters.from).startOf('day').toUTC().toISO()!
      : undefined,
    to: filters.to ? endOfDay(filters.to).toUTC().toISO()! : undefined,
  };
}

/** Owner and date range filters, applied on submit. */
export function ScheduleFilters(props: {
  initial: { owner: string; from: string; to: string };
  onApply: (filters: { owner: string; from: string; to: string }) => void;
}) {
  const [values, setValues] = useState(props.initial);
  const [error, setError] = useState<string>();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (values.owner.trim() && !isGroupRef(values.owner.trim())) {
      setError(GROUP_REF_PROMPT);
      return;
    }
    if (values.from && values.to && values.to < values.from) {
      setError('The end of the range is before its start');
      return;
    }
    setError(undefined);
    props.onApply(values);
  };

  return (
    <Box
      component="form"
      onSubmit={onSubmit}
      display="flex"
      flexWrap="wrap"
      alignItems="flex-start"
      style={{ gap: 16 }}
      mb={2}
    >
      <TextField
        id="schedule-owner"
        label="Owner"
        placeholder="group:default/payments"
        InputLabelProps={{ shrink: true }}
        value={values.owner}
        error={Boolean(error)}
        helperText={error}
        onChange={e => setValues(v => ({ ...v, owner: e.target.value }))}
      />
      <TextField
        id="schedule-from"
        label="From"
        type="date"
        InputLabelProps={{ shrink: true }}
        value={values.from}
        onChange={e => setValues(v => ({ ...v, from: e.target.value }))}
      />
      <TextField
        id="schedule-to"
        label="To"
        type="date"
        InputLabelProps={{ shrink: true }}
        value={values.to}
        onChange={e => setValues(v => ({ ...v, to: e.target.value }))}
      />
      <Button type="submit" variant="outlined" color="primary">
        Apply
      </Button>
    </Box>
  );
}
