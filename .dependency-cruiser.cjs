/**
 * Parley's layering, checked by test/layering.test.ts (and `npx depcruise src` by hand).
 *
 * The folders of src/ form a stack: a module may import its own folder and any folder below it,
 * never one above, and no module may reach itself again through its imports. The stack is the
 * order the code has, lowest first; each layer's line says what it is and why it sits there.
 * Tests (`*.test.ts` beside the code, and test/, bench/) stand above the whole stack.
 *
 * The console is not in the stack: it is a browser bundle built by Vite, so it imports only its
 * own folder, and the API's wire types (src/wire) with `import type` (erased: nothing of the
 * server ends up in the bundle).
 */

/** @type {[name: string, rule: string][]} lowest first */
const LAYERS = [
  ['protocol', 'The wire format, pure: canonical bytes, hashes, signatures, Merkle proofs, errors. Other implementations must match it, so it depends on nothing of Parley.'],
  ['http', 'The route kit any layer may use to contribute HTTP routes without knowing the server: the OpenAPI route document and operator roles. Reads the protocol\'s error registry only.'],
  ['catalogue', 'The message catalogue: one JSON Schema per content type. Reads the protocol only; regimes add their schema tables to it from above.'],
  ['ledger', 'Append / accept / query / proofs over a Store. Validates with the catalogue; knows nothing of peers, regimes or HTTP.'],
  ['federation', 'Roster, outbox, push, pull, receipts, link health: moves ledger entries between nodes.'],
  ['regimes', 'One folder per regime module: rules as data with citations, content types, terms, evaluators (obligations and findings as a pure function of the entries), and, for a regime that acts in a running node, its live service (in the module\'s live/ folder: alarms, routes). registry.ts lists the modules.'],
  ['node', 'The node folder on disk: config, key, tokens, opening its ledger on its store (SQLite in the folder, or the PostgreSQL database its config names).'],
  ['wire', 'Type-only: what the operator API returns, shared by the server and the console.'],
  ['server', 'The HTTP server and its route plugins; server/node.ts is the composition root that wires every piece of a running node.'],
  ['demo', 'Scenarios replayed into node folders (used by `parley demo` and `network up`).'],
  ['cli', 'The parley command: the top; nothing imports it.'],
];

const TESTS = '\\.test\\.tsx?$';

const layerRules = LAYERS.slice(0, -1).map(([name, rule], i) => ({
  name: `layer-${name}`,
  severity: 'error',
  comment: `${name}: ${rule} It may not import ${LAYERS.slice(i + 1).map(([above]) => above).join(', ')}.`,
  from: { path: `^src/${name}/`, pathNot: TESTS },
  to: { path: `^src/(${LAYERS.slice(i + 1).map(([above]) => above).join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module that reaches itself through its imports cannot be understood, loaded or tested alone.',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'layer-outside-stack',
      severity: 'error',
      comment: 'Every folder of src/ has its place in the stack above (or is the console): a new folder gets a line there.',
      from: { path: '^src/', pathNot: `^src/(${LAYERS.map(([name]) => name).join('|')}|console)/` },
      to: {},
    },
    {
      name: 'regime-rules-pure',
      severity: 'error',
      comment: 'A regime\'s rules and evaluators are a pure function of the entries: outside its live/ folder a regime module reads no ledger, peer, HTTP or node folder (types excepted).',
      from: { path: '^src/regimes/[^/]+/', pathNot: `(/live/|${TESTS})` },
      to: { path: '^src/(ledger|federation|http|node)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'generic-code-names-no-regime',
      severity: 'error',
      comment: 'Only registry.ts lists the regimes: the kernel (store, ledger, federation, catalogue, server, the regime engine) works for any module and imports none by name. Exempt: the compile-time wire check and the type-only wire types (they describe what the API sends), and the CLI commands that are a regime\'s own (parley hotline).',
      from: {
        path: '^src/(protocol|http|catalogue|ledger|federation|node|server|demo|regimes/[^/]+\\.ts$)',
        pathNot: `(^src/regimes/registry\\.ts$|^src/server/wire-check\\.ts$|${TESTS})`,
      },
      to: { path: '^src/regimes/(?!agreement/)[^/]+/' },
    },
    {
      name: 'console-own-folder',
      severity: 'error',
      comment: 'The console is a browser bundle: it imports only its own folder and the wire types; what it knows of the rules it reads from the API.',
      from: { path: '^src/console/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/(console|wire)/' },
    },
    {
      name: 'console-wire-type-only',
      severity: 'error',
      comment: 'The console takes the wire types with `import type`, so Vite bundles nothing from the server side.',
      from: { path: '^src/console/' },
      to: { path: '^src/wire/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'wire-type-only',
      severity: 'error',
      comment: 'The wire types are types: the console type-checks them, so they import other types only.',
      from: { path: '^src/wire/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-importing-console',
      severity: 'error',
      comment: 'The node serves the console as built files; no node code imports the console\'s modules.',
      from: { path: '^src/', pathNot: '^src/console/' },
      to: { path: '^src/console/' },
    },
    {
      name: 'no-importing-tests',
      severity: 'error',
      comment: 'Shipped code never imports tests, their fixtures or the benchmarks.',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: `^(test|bench)/|${TESTS}` },
    },
  ],
  options: {
    // `import type` counts: a type-only upward import still couples the lower layer to the upper.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
