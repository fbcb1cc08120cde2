/**
 * Agreements in the record: the figures a network agrees, and who they bind from when, are set by
 * signed entries — a proposal and one endorsement per party it names — so that findings stay a
 * pure function of the record (book.ts has the rules). A node's config can only propose.
 */
export { AgreementBook, ENDORSEMENT, PROPOSAL, restated, type Adopted, type AgreementState, type AgreementTerms, type EndorsementBody, type ProposalBody } from './book.js';
export { agreementTypes } from './schemas.js';
