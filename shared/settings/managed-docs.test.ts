import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MANAGED_KEYS, parseManagedPolicy } from './managed';
import { chromeManagedSchema, chromePolicyExample, examplePolicy, fillBlocks, firefoxPolicyExample, provisioningBlocks, systemFileExample } from './managed-docs';

/**
 * The managed keys are defined once (managed.ts); the Chrome schema in the extension and the
 * provisioning docs are generated from them. This fails when either drifts; run it with
 * UPDATE_MANAGED_DOCS=1 to rewrite them.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const update = process.env.UPDATE_MANAGED_DOCS === '1';
const schemaFile = join(root, 'extension/managed-schema.json');
const DOCS = ['docs/provisioning.md', 'README.md'];

describe('managed keys: one source for schema, docs and examples', () => {
  it('extension/managed-schema.json is generated from the keys', () => {
    const expected = `${JSON.stringify(chromeManagedSchema(), null, 2)}\n`;
    if (update) writeFileSync(schemaFile, expected);
    expect(readFileSync(schemaFile, 'utf8')).toBe(expected);
    expect(Object.keys(chromeManagedSchema().properties ?? {})).toEqual(MANAGED_KEYS.map((k) => k.key));
  });

  it.each(DOCS)('%s carries the generated table and examples', (doc) => {
    const file = join(root, doc);
    const text = readFileSync(file, 'utf8');
    const { text: filled, missing } = fillBlocks(text, provisioningBlocks());
    expect(missing).toEqual([]);
    if (update) writeFileSync(file, filled);
    expect(text).toBe(filled);
  });

  it('every example value is valid for its key, and the examples parse with no problem', () => {
    for (const k of MANAGED_KEYS) expect(k.schema.safeParse(k.example).success, k.key).toBe(true);
    expect(parseManagedPolicy(examplePolicy()).problems).toEqual([]);
    expect(Object.keys(parseManagedPolicy(JSON.parse(systemFileExample())).values)).toEqual(Object.keys(examplePolicy()));
    const chrome = JSON.parse(chromePolicyExample()) as { '3rdparty': { extensions: Record<string, unknown> } };
    expect(Object.values(chrome['3rdparty'].extensions)[0]).toEqual(examplePolicy());
    const firefox = JSON.parse(firefoxPolicyExample()) as { policies: { '3rdparty': { Extensions: Record<string, unknown> } } };
    expect(Object.values(firefox.policies['3rdparty'].Extensions)[0]).toEqual(examplePolicy());
  });

  it('the Chrome schema types agree with what the key accepts', () => {
    const props = chromeManagedSchema().properties ?? {};
    for (const k of MANAGED_KEYS) {
      const t = props[k.key]?.type;
      const sample = k.example;
      expect(t === 'array' ? Array.isArray(sample) : typeof sample, k.key).toBe(t === 'array' ? true : t);
    }
  });
});
