/** A list's filter: a labelled choice among values, "all" (or `anyLabel`) meaning no filter. */
export function FilterSelect(props: { label: string; value: string; options: readonly (string | readonly [value: string, label: string])[]; onChange: (v: string) => void; anyLabel?: string }) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.anyLabel ?? 'all'}</option>
        {props.options.map((o) => {
          const [value, label] = typeof o === 'string' ? [o, o] : o;
          return (
            <option key={value} value={value}>
              {label}
            </option>
          );
        })}
      </select>
    </label>
  );
}
