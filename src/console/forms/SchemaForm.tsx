/**
 * The fields of a content type's body, generated from its JSON Schema: text, numbers with their
 * minimum, yes/no, choices, UTC instants, lists, nested groups and GeoJSON as JSON. The field the
 * node's refusal names (`detail.path`), and every field the schema check finds wrong as the officer
 * types (forms/validate.ts), is marked invalid and carries its message.
 */
import type { ReactNode } from 'react';
import { AreaField } from '../components/AreaField';
import { UtcInput } from '../components/UtcInput';
import { emptyDraft, humanize, kindOf, properties, requiredOf, resolve, type Draft, type Schema } from './schema';

export interface Refusal {
  path: string;
  message: string;
}

interface FieldProps {
  root: Schema;
  schema: Schema;
  name: string;
  pointer: string;
  draft: Draft;
  required: boolean;
  onChange: (d: Draft) => void;
  refusal: readonly Refusal[];
  label?: string;
}

const idOf = (pointer: string) => `field${pointer.replace(/[^A-Za-z0-9]+/g, '-')}`;

export function BodyFields(props: { root: Schema; draft: Draft; onChange: (d: Draft) => void; refusal: readonly Refusal[] }) {
  return <ObjectFields root={props.root} schema={props.root} pointer="" draft={props.draft} onChange={props.onChange} refusal={props.refusal} />;
}

function ObjectFields(props: { root: Schema; schema: Schema; pointer: string; draft: Draft; onChange: (d: Draft) => void; refusal: readonly Refusal[] }) {
  const d = (props.draft && typeof props.draft === 'object' && !Array.isArray(props.draft) ? props.draft : {}) as Record<string, Draft>;
  const required = requiredOf(props.root, props.schema);
  const props_ = properties(props.root, props.schema);
  // Required fields first, in schema order; then the optional ones.
  const ordered = [...props_.filter(([k]) => required.has(k)), ...props_.filter(([k]) => !required.has(k))];
  return (
    <>
      {ordered.map(([key, schema]) => (
        <Field
          key={key}
          root={props.root}
          schema={schema}
          name={key}
          pointer={`${props.pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`}
          draft={d[key]}
          required={required.has(key)}
          onChange={(v) => props.onChange({ ...d, [key]: v })}
          refusal={props.refusal}
        />
      ))}
    </>
  );
}

function Field(p: FieldProps) {
  const s = resolve(p.root, p.schema);
  const kind = kindOf(p.root, s);
  const id = idOf(p.pointer);
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  // Every problem the form knows of at this field (for a JSON field, also those inside it).
  const mine = p.refusal.filter((r) => r.path === p.pointer || (kind === 'json' && r.path.startsWith(p.pointer + '/')));
  const refused = mine.length > 0;
  const problemText = mine.map((r) => r.message).join('; ');
  const description = typeof s.description === 'string' ? s.description : undefined;
  const label = p.label ?? humanize(p.name);
  const describedBy = [description ? hintId : '', refused ? errId : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name: p.pointer, 'aria-describedby': describedBy, 'aria-invalid': refused || undefined, 'aria-required': p.required || undefined };
  const value = typeof p.draft === 'string' ? p.draft : '';

  if (kind === 'const') return null;

  if (kind === 'object') {
    return (
      <fieldset className={`group${refused ? ' invalid' : ''}`}>
        <legend className={p.required ? 'required' : undefined}>{label}</legend>
        {description && <p className="hint">{description}</p>}
        {refused && <Problem id={errId} message={problemText} />}
        <ObjectFields root={p.root} schema={s} pointer={p.pointer} draft={p.draft} onChange={p.onChange} refusal={p.refusal} />
      </fieldset>
    );
  }

  if (kind === 'array') {
    const items = resolve(p.root, s.items as Schema);
    const list = Array.isArray(p.draft) ? p.draft : [];
    const itemKind = kindOf(p.root, items);
    return (
      <fieldset className={`group list${refused ? ' invalid' : ''}`}>
        <legend className={p.required ? 'required' : undefined}>
          {label} <span className="muted">({list.length})</span>
        </legend>
        {description && <p className="hint">{description}</p>}
        {refused && <Problem id={errId} message={problemText} />}
        {list.map((item, i) => (
          <div key={i} className="list-item">
            <Field
              root={p.root}
              schema={items}
              name={`${p.name} ${i + 1}`}
              label={itemKind === 'object' ? `${humanize(p.name)} ${i + 1}` : `${humanize(p.name)} ${i + 1}`}
              pointer={`${p.pointer}/${i}`}
              draft={item}
              required
              onChange={(v) => p.onChange(list.map((x, j) => (j === i ? v : x)))}
              refusal={p.refusal}
            />
            <button type="button" className="small" onClick={() => p.onChange(list.filter((_, j) => j !== i))} aria-label={`Remove ${humanize(p.name)} ${i + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="small" onClick={() => p.onChange([...list, emptyDraft(p.root, items)])}>
          Add {humanize(p.name).toLowerCase()}
        </button>
      </fieldset>
    );
  }

  let control: ReactNode;
  switch (kind) {
    case 'boolean':
      if (p.required) {
        control = <input {...common} type="checkbox" checked={p.draft === true} onChange={(e) => p.onChange(e.target.checked)} />;
      } else {
        control = (
          <select {...common} value={value} onChange={(e) => p.onChange(e.target.value)}>
            <option value="">—</option>
            <option value="yes">yes</option>
            <option value="no">no</option>
          </select>
        );
      }
      break;
    case 'enum':
      control = (
        <select {...common} value={value} onChange={(e) => p.onChange(e.target.value)}>
          <option value="">— choose —</option>
          {(s.enum as unknown[]).map((v, i) => (
            <option key={i} value={String(i)}>
              {String(v)}
            </option>
          ))}
        </select>
      );
      break;
    case 'number':
    case 'integer':
      control = (
        <input
          {...common}
          type="number"
          inputMode={kind === 'integer' ? 'numeric' : 'decimal'}
          step={kind === 'integer' ? 1 : 'any'}
          min={typeof s.minimum === 'number' ? s.minimum : undefined}
          max={typeof s.maximum === 'number' ? s.maximum : undefined}
          value={value}
          onChange={(e) => p.onChange(e.target.value)}
        />
      );
      break;
    case 'date-time':
      control = (
        <UtcInput {...common} text={value} onText={(t) => p.onChange(t)} />
      );
      break;
    case 'date':
      control = <UtcInput {...common} day text={value} onText={(t) => p.onChange(t)} />;
      break;
    case 'text':
      control = <textarea {...common} rows={3} value={value} onChange={(e) => p.onChange(e.target.value)} />;
      break;
    case 'json': {
      const textarea = (
        <textarea
          {...common}
          className="mono"
          rows={5}
          spellCheck={false}
          placeholder={/area/i.test(p.name) ? '{"type":"Polygon","coordinates":[[[lon,lat],[lon,lat],[lon,lat],[lon,lat]]]}' : 'JSON'}
          value={value}
          onChange={(e) => p.onChange(e.target.value)}
        />
      );
      control = /area/i.test(p.name) ? <AreaField id={id} text={value} onText={(t) => p.onChange(t)} textarea={textarea} /> : textarea;
      break;
    }
    default:
      control = (
        <input {...common} type="text" maxLength={typeof s.maxLength === 'number' ? s.maxLength : undefined} value={value} onChange={(e) => p.onChange(e.target.value)} />
      );
  }

  const unit = kind === 'date-time' || kind === 'date' ? ' (UTC)' : kind === 'json' ? ' (JSON)' : '';
  return (
    <div className={`field ${kind}${refused ? ' invalid' : ''}`}>
      <label htmlFor={id} className={p.required ? 'required' : undefined}>
        {label}
        {unit && <span className="muted">{unit}</span>}
      </label>
      {control}
      {description && (
        <span id={hintId} className="hint">
          {description}
        </span>
      )}
      {refused && <Problem id={errId} message={problemText} />}
    </div>
  );
}

function Problem(props: { id: string; message: string }) {
  return (
    <span id={props.id} className="field-problem" data-testid="field-problem">
      {props.message}
    </span>
  );
}
