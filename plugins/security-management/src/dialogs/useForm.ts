import { useCallback, useEffect, useState } from 'react';

/** Field values and errors of a dialog's form, reset whenever it opens. */
export function useForm<T extends Record<string, string>>(
  initial: T,
  open: boolean,
) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof T, string>>>({});

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

  /** Records the errors; true when there are none. */
  const check = useCallback((found: Partial<Record<keyof T, string>>) => {
    setErrors(found);
    return Object.values(found).every(e => !e);
  }, []);

  return { values, errors, set, check };
}
