/**
 * The console's one time field: a text box for an instant in UTC, ISO 8601, 24-hour clock
 * (`app/utc.ts`). What the officer types stays as typed; while it is not a valid instant the
 * field says why, beside it, and the value it stands for is not changed.
 */
import { useId, type InputHTMLAttributes } from 'react';
import { readUtc, readUtcDay, UTC_DAY_HINT, UTC_FORMAT_HINT } from '../app/utc';

export interface UtcInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> {
  text: string;
  /** Every keystroke: the text, and the instant it stands for when it is one. */
  onText: (text: string, iso: string | undefined) => void;
  /** Extra problem to show (e.g. the node's refusal), besides the field's own reading. */
  problemId?: string;
  /** A calendar day (`2022-02-12`) rather than an instant; `iso` is then the day. */
  day?: boolean;
}

export function UtcInput({ text, onText, problemId, className, day, ...rest }: UtcInputProps) {
  const own = useId();
  const read = (t: string) => {
    if (!day) return readUtc(t);
    const r = readUtcDay(t);
    return r.ok ? { ok: true as const, iso: r.day } : r;
  };
  const reading = text.trim() === '' ? undefined : read(text);
  const problem = reading && !reading.ok ? reading.problem : undefined;
  const errId = `${own}-utc-problem`;
  const describedBy = [rest['aria-describedby'], problem ? errId : undefined, problemId].filter(Boolean).join(' ') || undefined;
  return (
    <span className={`utc-input${className ? ` ${className}` : ''}`}>
      <input
        {...rest}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        placeholder={rest.placeholder ?? (day ? 'YYYY-MM-DD' : 'YYYY-MM-DD HH:MM:SS')}
        title={rest.title ?? (day ? UTC_DAY_HINT : UTC_FORMAT_HINT)}
        value={text}
        aria-invalid={problem ? true : rest['aria-invalid']}
        aria-describedby={describedBy}
        onChange={(e) => {
          const r = e.target.value.trim() === '' ? undefined : read(e.target.value);
          onText(e.target.value, r?.ok ? r.iso : undefined);
        }}
      />
      {problem && (
        <span id={errId} className="field-problem utc-problem" data-testid="utc-problem">
          {problem}
        </span>
      )}
    </span>
  );
}
