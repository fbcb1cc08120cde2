/**
 * A regime added through the public registry API alone — no source file touched: a node started
 * with it validates its content type at append, evaluates its rule into an obligation and a
 * finding with the figure an agreement may set, and serves it at /api/v1/regimes and in
 * /api/v1/findings.
 */
import { afterEach, expect, it } from 'vitest';
import { ParleyError } from '../../src/protocol/errors.js';
import { deadline, evaluate } from '../../src/regimes/engine.js';
import { createRegistry, MODULES, type RegimeModule, type TermsSpec } from '../../src/regimes/index.js';
import { startNetwork, waitFor, type TestNetwork } from '../federation/support.js';

const ANSWER = { id: 'drill.answer', citation: 'DRILL §1', title: 'Answer a drill call', description: 'Every addressee answers a drill call (an entry naming it in refs) within the agreed seconds.', figures: { seconds: 60 } };

const answerTerms: TermsSpec<{ seconds: number }> = {
  schema: { type: 'object', additionalProperties: false, properties: { answerSeconds: { type: 'number', exclusiveMinimum: 0 } } },
  defaults: { answerSeconds: ANSWER.figures.seconds },
  check: (t) => {
    const v = (t as { answerSeconds?: unknown }).answerSeconds;
    return v === undefined || (typeof v === 'number' && v > 0) ? undefined : { field: 'answerSeconds', message: `is ${JSON.stringify(v)}; it must be a positive number of seconds` };
  },
  resolve: (t) => ({ seconds: (t?.answerSeconds as number | undefined) ?? ANSWER.figures.seconds }),
};

const drill: RegimeModule = {
  id: 'drill',
  version: '0.1.0',
  title: 'Communications drill',
  rules: [ANSWER],
  types: {
    'drill.call': {
      title: 'Drill call',
      description: 'A drill: every addressee answers it.',
      type: 'object',
      additionalProperties: false,
      required: ['subject'],
      properties: { subject: { type: 'string', minLength: 1, maxLength: 200 } },
    },
  },
  terms: answerTerms,
  groupsOf: (h) => (h.type === 'drill.call' && h.body ? [`call:${h.id}`] : []),
  evaluateGroup(_key, ctx) {
    const [call] = ctx.members();
    if (!call) return;
    for (const debtor of call.to.filter((p) => p !== call.author && p !== '*')) {
      const { seconds } = ctx.terms<{ seconds: number }>([call.author, debtor], call.t);
      const answer = ctx.referrers(call.id).find((h) => h.author === debtor);
      deadline(ctx, {
        rule: ANSWER,
        debtor,
        creditors: [call.author],
        what: `answer ${call.author}'s drill call`,
        due: call.t + seconds * 1000,
        evidence: [call],
        answer: answer ? { by: answer, at: answer.t } : undefined,
        late: () => `${debtor} answered the drill call late`,
        missed: `${debtor} did not answer the drill call within ${seconds} s`,
      });
    }
  },
  evaluate: (entries, at, options) => evaluate([drill], entries, at, options),
};

let net: TestNetwork | undefined;
afterEach(async () => {
  await net?.close();
  net = undefined;
});

it('a module from the registry API alone is validated at append, evaluated, and served', async () => {
  const registry = createRegistry([...MODULES, drill]);
  net = await startNetwork(['USA', 'RUS'], { registry, settings: { hotline: { linkTests: false } } });
  const { USA, RUS } = net.nodes;

  // Validated at append: a body its schema refuses, and terms its spec refuses, naming the field.
  const refused = await USA.ledger.append({ type: 'drill.call', to: ['RUS'], body: { subject: '' } }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ParleyError);
  expect(refused).toMatchObject({ code: 'PARLEY_ERR_SCHEMA' });
  const badTerms = await USA.ledger.append({ type: 'agreement.proposal', to: ['*'], body: { title: 't', parties: ['USA', 'RUS'], terms: { drill: { answerSeconds: 0 } }, effective: '2022-01-01T00:00:00Z' } }).catch((e: unknown) => e);
  expect(badTerms).toMatchObject({ code: 'PARLEY_ERR_SCHEMA', message: expect.stringContaining('regimes.drill.answerSeconds') });

  // Evaluated: an obligation, then a finding once its deadline has passed.
  const call = await USA.ledger.append({ type: 'drill.call', to: ['RUS'], body: { subject: 'Drill 1' } });
  await waitFor('the call at RUS', async () => (await RUS.ledger.get(call.id))?.body !== undefined);
  const get = async (node: typeof USA, path: string) => (await fetch(node.url + path, { headers: { authorization: `Bearer ${node.folder.tokens.analyst}` } })).json() as Promise<any>;
  const later = new Date(Date.parse(call.time) + 61_000).toISOString();
  const obligations = await get(RUS, '/api/v1/obligations?rule=drill.answer');
  expect(obligations.obligations).toMatchObject([{ rule: 'drill.answer', citation: 'DRILL §1', debtor: 'RUS', creditors: ['USA'], status: 'open' }]);
  const findings = await get(RUS, `/api/v1/findings?at=${later}`);
  expect(findings.regimes).toContainEqual({ id: 'drill', version: '0.1.0' });
  expect(findings.findings).toMatchObject([{ rule: 'drill.answer', parties: ['RUS', 'USA'], evidence: [call.id], explanation: 'RUS did not answer the drill call within 60 s' }]);
  expect(await get(USA, `/api/v1/findings?at=${later}`)).toEqual(findings);

  // Served: its rules and terms at /api/v1/regimes, its content type in the catalogue.
  const regimes = await get(USA, '/api/v1/regimes');
  expect(regimes.regimes.map((r: { id: string }) => r.id)).toEqual([...MODULES.map((m) => m.id), 'drill']);
  expect(regimes.regimes.at(-1)).toMatchObject({ id: 'drill', version: '0.1.0', rules: [{ id: 'drill.answer', citation: 'DRILL §1' }], terms: { defaults: { answerSeconds: 60 }, agreements: [] } });
  expect(Object.keys(await get(USA, '/api/v1/catalogue'))).toContain('drill.call');
});
