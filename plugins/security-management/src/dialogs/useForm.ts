import { useCallback, useEffect, useState } from 'react';
import { checkInput } from '@open-itsm/plugin-security-management-common';

type Errors<T> = Partial<Record<keyof T, string>>;

/** How a form checks the request it would send against the contract. */
export interface RequestCheck<T> {
  /** The request's schema from -common: the server's own rules. */
  schema: Parameters<typeof checkInput>[0];
  /** The request the form's values stand for. */
  request: unknown;
  /**
   * What to say for a field left empty that must be filled, instead of the
   * schema's words (`Choose the result` rather than `expected one of ...`).
   */
  prompts: Errors<T>;
  /** The form field of a request field whose name differs. */
  fieldOf?: Record<string, keyof T>;
  /** Rules that need the clock or the page, checked after the schema's. */
  extra?: Errors<T>;
}

/** Field values and errors of a dialog's form, reset whenever it opens. */
export function useForm<T extends Record<string, string>>(
  initial: T,
  open: boolean,
) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<Errors<T>>({});

  // Reset only when the dialog opens, not when the caller re-renders.
  useEffect(() => {
    if (open) {
      setValues(initial);
      setErrors({});
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const set = useCallback(
    (field: keyof T) => (value: string) =>
      setValues(v => ({ ...v, [field]: value })),
    [],
  );

  /**
   * Checks the request with the server's schema and shows each problem on
   * its field; true when there is none.
   */
  const check = useCallback(
    (request: RequestCheck<T>) => {
      const found: Errors<T> = {};
      const result = checkInput(request.schema, request.request);
      for (const problem of result.success ? [] : result.problems) {
        const name = problem.path.split(/[.[]/)[0];
        const field = request.fieldOf?.[name] ?? (name as keyof T);
        const empty = !String(values[field] ?? '').trim();
        found[field] ??=
          (empty ? request.prompts[field] : undefined) ?? problem.message;
      }
      for (const [field, message] of Object.entries(request.extra ?? {})) {
        found[field as keyof T] ??= message as string | undefined;
      }
      setErrors(found);
      return Object.values(found).every(message => !message);
    },
    [values],
  );

  /** Replaces every value, e.g. with a reloaded record, and clears errors. */
  const reset = useCallback((next: T) => {
    setValues(next);
    setErrors({});
  }, []);

  return { values, errors, set, check, reset };
}
