/**
 * A Vite plugin for the console's build: `virtual:parley-validators`, the message catalogue's JSON
 * Schemas (the same the node serves at GET /api/v1/catalogue) compiled by Ajv into standalone code,
 * so the console checks a form as the officer types — every problem at once — under a
 * Content-Security-Policy that allows no `eval`. It lives outside src/console because the console
 * itself imports nothing of the server side; the bundle gets only the compiled checks. A node
 * running a content type this build does not know has no validator for it in the console: the
 * node's own validation, which always runs, is then the only check.
 */
import type { Plugin } from 'vite';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { COMPOSED_BY } from '../src/catalogue/index.js';
import { catalogue } from '../src/regimes/registry.js';

export function catalogueValidators(): Plugin {
  const id = 'virtual:parley-validators';
  return {
    name: 'parley-validators',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(source) {
      if (source !== `\0${id}`) return undefined;
      const ajv = new Ajv2020({ allErrors: true, strict: false, code: { source: true, esm: true } });
      (addFormats as unknown as (a: Ajv2020) => void)(ajv);
      ajv.addKeyword({ keyword: COMPOSED_BY, schemaType: 'string' });
      const schemas = catalogue().all();
      const names: Record<string, string> = {};
      Object.keys(schemas).forEach((type, i) => {
        ajv.addSchema({ ...schemas[type], $id: `parley:${type}` });
        names[`v${i}`] = `parley:${type}`;
      });
      const standalone = ((standaloneCode as unknown as { default?: typeof standaloneCode }).default ?? standaloneCode) as unknown as (a: Ajv2020, refs: Record<string, string>) => string;
      const table = Object.keys(schemas).map((type, i) => `${JSON.stringify(type)}: v${i}`).join(',\n  ');
      return `${standalone(ajv, names)}\nexport const validators = {\n  ${table}\n};\n`;
    },
  };
}
