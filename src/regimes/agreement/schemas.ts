/**
 * The agreement content types: `agreement.proposal` (the parties, the terms per regime, the
 * effective time) and `agreement.endorsement` (a named party's yes to one proposal, restating
 * what it agrees to). Built for a given list of regimes, because a proposal's terms are checked
 * by the terms spec of the regime they are for.
 */
import type { CatalogueEntry, RecordView, SchemaProblem } from '../../catalogue/index.js';
import type { TermsSpec } from '../types.js';
import { ENDORSEMENT, PROPOSAL, restated, type EndorsementBody, type ProposalBody } from './book.js';

const party = { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,15}$' } as const;
const entryId = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

/** The part a proposal sets and an endorsement restates. */
const agreed = {
  parties: { type: 'array', items: party, minItems: 1, maxItems: 100, uniqueItems: true, description: 'The parties the agreement binds; it is adopted once every one of them has endorsed it.' },
  terms: {
    type: 'object',
    propertyNames: { pattern: '^[a-z][a-z0-9-]{0,39}$' },
    additionalProperties: { type: 'object' },
    description: 'Per regime id, the figures it sets (see GET /api/v1/regimes for each regime\'s terms and defaults). A field left out takes the regime\'s default. Empty for a joint statement: a proposal that sets no terms and whose `text` is the statement.',
  },
  effective: { type: 'string', format: 'date-time', description: 'From when the terms apply (RFC 3339); if the last endorsement comes later, from then.' },
} as const;

/** The terms of every regime named, checked by that regime's spec: a problem names `regimes.<id>.<field>`. */
function termsProblem(terms: ProposalBody['terms'], specs: ReadonlyMap<string, TermsSpec | undefined>): SchemaProblem | undefined {
  for (const [id, t] of Object.entries(terms)) {
    if (!specs.has(id)) return { path: `/terms/${id}`, message: `regimes.${id}: no regime of this node has the id ${JSON.stringify(id)} (known: ${[...specs.keys()].join(', ')})` };
    const spec = specs.get(id);
    if (!spec) return { path: `/terms/${id}`, message: `regimes.${id}: this regime has no terms an agreement can set` };
    const p = spec.check(t);
    if (p) return { path: `/terms/${id}/${p.field.replaceAll('.', '/')}`, message: `regimes.${id}.${p.field} ${p.message}` };
  }
  return undefined;
}

/** A proposal that sets no terms is a joint statement: its text is what the parties endorse. */
function statementProblem(body: ProposalBody): SchemaProblem | undefined {
  if (Object.keys(body.terms).length > 0 || (body.text !== undefined && body.text.length > 0)) return undefined;
  return { path: '/text', message: 'a proposal that sets no terms is a joint statement and needs its text' };
}

/**
 * @param specs every regime id the network's nodes evaluate, with its terms spec (or undefined
 *   when it has none): a proposal naming another regime is refused.
 */
export function agreementTypes(specs: ReadonlyMap<string, TermsSpec | undefined>): Record<string, CatalogueEntry> {
  return {
    [PROPOSAL]: {
      title: 'Agreement proposal',
      description:
        'Proposes terms for one or more regimes (acknowledgement windows, ceilings, quotas) between the parties it names, from an effective time. In force once every named party has endorsed it (its author, if named, by proposing), from its effective time or the last endorsement, whichever is later; a later adopted agreement supersedes an earlier one for the same regime. Address it to "*" so that every party holds the terms.',
      type: 'object',
      additionalProperties: false,
      required: ['title', 'parties', 'terms', 'effective'],
      properties: {
        title: { type: 'string', minLength: 1, maxLength: 200, description: 'What the agreement is, in a line.' },
        text: { type: 'string', maxLength: 100_000, description: 'The agreement\'s text, for the record.' },
        ...agreed,
      },
      check: (body: ProposalBody) => statementProblem(body) ?? termsProblem(body.terms, specs),
    },
    [ENDORSEMENT]: {
      title: 'Agreement endorsement',
      description:
        'One named party agrees to the proposal whose entry id is `proposal`, restating its parties, terms and effective time exactly; an endorsement that differs from the proposal it names does not count, and a node holding that proposal refuses it. The proposal id is in `refs` too (refused otherwise), so the node writing it holds what it endorses.',
      type: 'object',
      additionalProperties: false,
      required: ['proposal', 'parties', 'terms', 'effective'],
      properties: {
        proposal: { ...entryId, description: 'Entry id of the agreement.proposal endorsed.' },
        ...agreed,
        text: { type: 'string', maxLength: 100_000, description: 'For a joint statement: its text, restated exactly; an endorsement whose text differs from the statement it names does not count.' },
      },
      check: (body: EndorsementBody, record: RecordView, _author, refs) => endorsementProblem(body, record, refs) ?? termsProblem(body.terms, specs),
    },
  };
}

function endorsementProblem(body: EndorsementBody, record: RecordView, refs: readonly string[] | undefined): SchemaProblem | undefined {
  // The proposal is named in refs too, so that a node writing the endorsement must hold what it endorses.
  if (refs !== undefined && !refs.includes(body.proposal)) return { path: '/proposal', message: `names proposal ${body.proposal.slice(0, 12)}, which is not in the entry's refs: put the proposal's id in refs too` };
  const named = record.held(body.proposal);
  // Not held, or held as a stub: this node cannot judge; the regimes count it only if it matches.
  if (!named || named.type === undefined) return undefined;
  if (named.type !== PROPOSAL) return { path: '/proposal', message: `names a ${named.type} entry, not an ${PROPOSAL}` };
  const proposal = named.body as unknown as ProposalBody;
  if (body.text !== undefined && body.text !== proposal.text) {
    return { path: '/text', message: `differs from the text of the statement ${body.proposal.slice(0, 12)} it endorses: a changed text is a new statement (propose it, and endorse that one)` };
  }
  if (restated(body) === restated(proposal)) return undefined;
  const field = (['parties', 'terms', 'effective'] as const).find((k) => JSON.stringify(body[k]) !== JSON.stringify(proposal[k])) ?? 'terms';
  return { path: `/${field}`, message: `differs from the proposal ${body.proposal.slice(0, 12)} it endorses: an endorsement restates the proposal exactly (endorse that proposal as it is, or propose another)` };
}
