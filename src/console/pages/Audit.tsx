/**
 * Audit: re-verify the node's whole ledger (every signature, chain link, Merkle root, content
 * hash), download the proof bundle of any entry, and check a bundle someone hands you.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../app/api';
import { downloadProof } from '../app/download';
import { utc } from '../app/format';
import { usePicture } from '../app/record';
import type { Route } from '../app/route';

export function Audit(props: { route: Route }) {
  return (
    <div className="audit">
      <h1>Audit</h1>
      <Verify />
      <Prove initial={props.route.query.get('id') ?? ''} />
      <CheckProof />
    </div>
  );
}

function errorText(e: unknown): string {
  return e instanceof ApiError ? `${e.code}: ${e.message}` : String(e);
}

function problemLine(x: unknown): string {
  if (typeof x === 'string') return x;
  const p = x as { author?: string; seq?: number; code?: string; message?: string };
  return p.code ? `${p.author ?? '?'}#${p.seq ?? '?'} ${p.code}: ${p.message ?? ''}` : JSON.stringify(x);
}

function Verify() {
  const p = usePicture();
  const [result, setResult] = useState<Record<string, unknown> | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [at, setAt] = useState<string | undefined>(undefined);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await p.api.verify());
      setAt(new Date().toISOString());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const ok = result && (result.ok === true || (Array.isArray(result.problems) && result.problems.length === 0));
  const problems = Array.isArray(result?.problems) ? (result.problems as unknown[]) : [];
  return (
    <section className="panel" aria-labelledby="verify-h">
      <h2 id="verify-h">Verify the ledger</h2>
      <p className="muted">Re-checks every entry this node holds: signatures against the roster keys, chain links, Merkle roots and content hashes.</p>
      <button type="button" className="primary" onClick={run} disabled={busy}>
        {busy ? 'Verifying…' : 'Run verify'}
      </button>
      {error && (
        <p role="alert" className="refusal">
          {error}
        </p>
      )}
      {result && (
        <div role="status" data-testid="verify-result" data-ok={ok ? 'true' : 'false'} className={ok ? 'verdict ok' : 'verdict bad'}>
          <strong>{ok ? 'Ledger verified' : 'Problems found'}</strong>
          {typeof result.entries === 'number' && <> — {result.entries} entries checked</>} <span className="muted">at {utc(at)}</span>
          {problems.length > 0 && (
            <ul>
              {problems.map((x, i) => (
                <li key={i}>{problemLine(x)}</li>
              ))}
            </ul>
          )}
          <details>
            <summary>Full report</summary>
            <pre>{JSON.stringify(result, null, 2)}</pre>
          </details>
        </div>
      )}
    </section>
  );
}

function Prove(props: { initial: string }) {
  const p = usePicture();
  const [id, setId] = useState(props.initial);
  const [error, setError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const recent = [...p.entries]
    .filter((e) => e.type && e.type !== 'receipt')
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))
    .slice(0, 200);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    const wanted = id.trim();
    try {
      await downloadProof(p.api, wanted, p.byId.get(wanted));
      setDone(wanted);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section className="panel" aria-labelledby="prove-h">
      <h2 id="prove-h">Download a proof bundle</h2>
      <p className="muted">
        A bundle lets anyone check, offline, that the author said this entry at its place in its log: <code>parley check-proof FILE</code>. An entry is provable once its author has written a later entry.
      </p>
      <form onSubmit={submit} className="row">
        <div className="field grow">
          <label htmlFor="prove-id">Entry id</label>
          <input id="prove-id" list="prove-recent" className="mono" type="text" value={id} onChange={(e) => setId(e.target.value)} placeholder="64 hex digits" />
          <datalist id="prove-recent">
            {recent.map((e) => (
              <option key={e.id} value={e.id}>
                {e.author}#{e.seq} {e.type}
              </option>
            ))}
          </datalist>
        </div>
        <div className="actions">
          <button type="submit" disabled={!id.trim()}>
            Download proof
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="refusal">
          {error}
        </p>
      )}
      {done && <p role="status">Proof bundle for {done.slice(0, 16)}… saved.</p>}
    </section>
  );
}

function CheckProof() {
  const p = usePicture();
  const [result, setResult] = useState<Record<string, unknown> | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const onFile = async (file: File | undefined) => {
    setResult(undefined);
    setError(undefined);
    if (!file) return;
    let bundle: unknown;
    try {
      bundle = JSON.parse(await file.text());
    } catch (e) {
      setError(`PARLEY_ERR_BAD_PROOF: ${file.name} is not a proof bundle: not valid JSON (${(e as Error).message})`);
      return;
    }
    try {
      setResult(await p.api.checkProof(bundle));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section className="panel" aria-labelledby="check-h">
      <h2 id="check-h">Check a proof bundle</h2>
      <div className="field">
        <label htmlFor="check-file">Proof bundle file (JSON)</label>
        <input id="check-file" type="file" accept="application/json,.json" onChange={(e) => void onFile(e.target.files?.[0])} />
      </div>
      {error && (
        <p role="alert" className="refusal" data-testid="check-result" data-ok="false">
          Not valid — {error}
        </p>
      )}
      {result && <Verdict result={result} />}
    </section>
  );
}

/** The node's verdict on a bundle: `{ok: true, proof: {author, seq, …}}` or `{ok: false, error: {code, message}}`. */
function Verdict(props: { result: Record<string, unknown> }) {
  const r = props.result;
  const proof = (r.proof ?? r) as Record<string, unknown>;
  const error = r.error as { code?: string; message?: string } | undefined;
  const ok = r.ok !== false;
  return (
    <div role="status" className={ok ? 'verdict ok' : 'verdict bad'} data-testid="check-result" data-ok={ok ? 'true' : 'false'}>
      {ok ? (
        <>
          <strong>Valid.</strong> {String(proof.author)}#{String(proof.seq)} <code>{String(proof.type ?? '')}</code> at {utc(String(proof.time ?? ''))}, in {String(proof.author)}'s log as covered by its
          signed header #{String(proof.checkpointSeq ?? '?')}. Signed with key <code>{String(proof.publicKey ?? '')}</code> — compare it with the key pinned for {String(proof.author)}.
        </>
      ) : (
        <>
          <strong>Not valid.</strong> <code>{error?.code}</code> {error?.message}
        </>
      )}
    </div>
  );
}
