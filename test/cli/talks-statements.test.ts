/**
 * `parley talks propose-statement` and `parley talks endorse-statement` on two running nodes: the
 * statement is an agreement proposal setting no terms, each endorsement restates its exact text,
 * and it is adopted once every signatory has endorsed; an agreement that sets terms is not a
 * statement to endorse, and a bad id is refused with its code.
 */
import { afterAll, expect, it } from 'vitest';
import { startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import { parleyAsync as parley } from '../support/cli.js';

let net: TestNetwork | undefined;
afterAll(async () => net?.close());

it('a joint statement proposed by USA and endorsed by RUS through the CLI is adopted with that exact text', async () => {
  net = await startNetwork(['USA', 'RUS'], { runFile: true, settings: { hotline: { linkTests: false } } });
  const { USA, RUS } = net.nodes;
  const text = 'The two presidents instructed their governments to continue contacts.';
  const proposed = await parley(['talks', 'propose-statement', '--dir', USA.dir, '--title', 'Joint statement of 7 December', '--text', text, '--parties', 'USA,RUS', '--json']);
  expect(proposed.code, proposed.stderr).toBe(0);
  const st = proposed.json();
  expect(st).toMatchObject({ title: 'Joint statement of 7 December', text, parties: ['USA', 'RUS'], terms: {} });
  const held = (await USA.ledger.get(st.id))!;
  expect([held.type, held.to]).toEqual(['agreement.proposal', ['*']]);

  await waitFor('the statement at RUS', async () => (await RUS.ledger.get(st.id))?.body !== undefined);
  const before = (await parley(['talks', 'statements', '--dir', RUS.dir, '--json'])).json();
  expect(before).toMatchObject([{ id: st.id, endorsed: ['USA'], missing: ['RUS'], adopted: null }]);

  const endorsed = await parley(['talks', 'endorse-statement', '--dir', RUS.dir, '--id', st.id, '--json']);
  expect(endorsed.code, endorsed.stderr).toBe(0);
  expect(endorsed.json()).toMatchObject({ statement: st.id, text });
  const e = (await RUS.ledger.get(endorsed.json().id))!;
  expect([e.type, e.refs, e.body]).toEqual(['agreement.endorsement', [st.id], { proposal: st.id, parties: ['USA', 'RUS'], terms: {}, effective: st.effective, text }]);

  await waitFor('the endorsement at USA', async () => (await USA.ledger.get(e.id))?.body !== undefined);
  const after = await Promise.all([USA, RUS].map((n) => parley(['talks', 'statements', '--dir', n.dir, '--json'])));
  expect(after[0].stdout).toBe(after[1].stdout);
  expect(after[0].json()).toMatchObject([{ id: st.id, endorsed: ['RUS', 'USA'], missing: [], adopted: e.time }]);
  const human = await parley(['talks', 'statements', '--dir', USA.dir]);
  expect(human.stdout).toContain(`adopted ${e.time}`);

  // An agreement setting terms is endorsed with parley agreement endorse, not as a statement; a bad id is refused.
  const terms = await parley(['agreement', 'propose', '--dir', USA.dir, '--regime', 'talks', '--terms', '{"briefingHours":48}', '--parties', 'USA,RUS', '--json']);
  expect(terms.code, terms.stderr).toBe(0);
  await waitFor('the agreement at RUS', async () => (await RUS.ledger.get(terms.json().id))?.body !== undefined);
  const notStatement = await parley(['talks', 'endorse-statement', '--dir', RUS.dir, '--id', terms.json().id]);
  expect(notStatement.code).not.toBe(0);
  expect(notStatement.stderr).toContain('PARLEY_ERR_BAD_ARGUMENT');
  expect(notStatement.stderr).toContain('parley agreement endorse');
  const badId = await parley(['talks', 'endorse-statement', '--dir', RUS.dir, '--id', 'nope', '--json']);
  expect(badId.code).not.toBe(0);
  expect(badId.json()).toMatchObject({ error: { code: 'PARLEY_ERR_BAD_ARGUMENT' } });
}, 60_000);
