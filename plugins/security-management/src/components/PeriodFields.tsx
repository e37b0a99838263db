import TextField from '@material-ui/core/TextField';

/** A period of two date fields (`yyyy-MM-dd`). */
export interface DatePeriod {
  from: string;
  to: string;
}

/**
 * The two date fields of a period, as the report, test report and OSCAL
 * export forms show them; the problem with the period, if any, is shown
 * under the first and marks both.
 */
export function PeriodFields(props: {
  /** Prefix of the fields' ids: `<id>-from`, `<id>-to`. */
  id: string;
  fromLabel: string;
  toLabel: string;
  period: DatePeriod;
  problem?: string;
  onChange: (change: (period: DatePeriod) => DatePeriod) => void;
}) {
  const { id, fromLabel, toLabel, period, problem, onChange } = props;
  return (
    <>
      <TextField
        id={`${id}-from`}
        label={fromLabel}
        type="date"
        InputLabelProps={{ shrink: true }}
        value={period.from}
        error={Boolean(problem)}
        helperText={problem}
        onChange={e => {
          const from = e.target.value;
          onChange(p => ({ ...p, from }));
        }}
      />
      <TextField
        id={`${id}-to`}
        label={toLabel}
        type="date"
        InputLabelProps={{ shrink: true }}
        value={period.to}
        error={Boolean(problem)}
        onChange={e => {
          const to = e.target.value;
          onChange(p => ({ ...p, to }));
        }}
      />
    </>
  );
}
