import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../extension-ids';
import { INTEGRA_EVENTS } from '../integra/events';
import { MANAGED_KEYS, type ManagedKind } from './managed';

/**
 * Everything written about the managed keys, generated from MANAGED_KEYS (shared/settings/
 * managed.ts): the Chrome managed-storage schema, the docs' table and the three policy examples.
 * managed-docs.test.ts compares them with extension/managed-schema.json and docs/provisioning.md
 * (and rewrites those with UPDATE_MANAGED_DOCS=1), so the written word cannot drift from the code.
 */

type ChromeSchema = { type: string; description?: string; items?: ChromeSchema; properties?: Record<string, ChromeSchema>; enum?: string[] };

function chromeType(kind: ManagedKind): ChromeSchema {
  switch (kind) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'string-list':
      return { type: 'array', items: { type: 'string' } };
    case 'rules':
      return {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            enabled: { type: 'boolean' },
            events: { type: 'array', items: { type: 'string', enum: [...INTEGRA_EVENTS] } },
            action: { type: 'string', enum: ['command', 'url'] },
            template: { type: 'string' },
          },
        },
      };
  }
}

/** Chrome's managed_schema: a JSON-Schema subset (type, properties, items, enum, description). */
export function chromeManagedSchema(): ChromeSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(MANAGED_KEYS.map((k) => [k.key, { ...chromeType(k.kind), description: k.description }])),
  };
}

const TYPE_WORDS: Record<ManagedKind, string> = { string: 'string', boolean: 'boolean', 'string-list': 'list of strings', rules: 'list of rules' };

/** The docs' ADMX-style table: policy key, type, the option it locks, what it does. */
export function managedKeysTable(): string {
  const rows = MANAGED_KEYS.map((k) => `| \`${k.key}\` | ${TYPE_WORDS[k.kind]} | \`${k.section}.${k.field}\` | ${k.description} | \`${JSON.stringify(k.example)}\` |`);
  return ['| Key | Type | Locks | Meaning | Example |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** One policy with every account key and the Integra switch: what the three examples carry. */
export function examplePolicy(): Record<string, unknown> {
  const pick = ['AccountServers', 'AccountUri', 'AccountAuthUser', 'AccountHa1', 'AccountRealm', 'AccountExtension', 'IntegraEnabled', 'IntegraRules', 'HotkeyDial'];
  return Object.fromEntries(MANAGED_KEYS.filter((k) => pick.includes(k.key)).map((k) => [k.key, k.example]));
}

const json = (v: unknown) => JSON.stringify(v, null, 2);

/** Chrome/Chromium on Linux: /etc/chromium/policies/managed/voispeed.json (Chrome: /etc/opt/chrome/…). */
export function chromePolicyExample(): string {
  return json({ '3rdparty': { extensions: { [CHROMIUM_EXTENSION_ID]: examplePolicy() } } });
}

/** Firefox: policies.json (/etc/firefox/policies/, or distribution/ beside the program). */
export function firefoxPolicyExample(): string {
  return json({ policies: { '3rdparty': { Extensions: { [FIREFOX_EXTENSION_ID]: examplePolicy() } } } });
}

/** The system file: /etc/voispeed/settings.json, %ProgramData%\voispeed\settings.json. */
export function systemFileExample(): string {
  return json(examplePolicy());
}

/** The generated blocks of docs/provisioning.md, by marker name. */
export function provisioningBlocks(): Record<string, string> {
  return {
    'managed-keys': managedKeysTable(),
    'chrome-policy': '```json\n' + chromePolicyExample() + '\n```',
    'firefox-policy': '```json\n' + firefoxPolicyExample() + '\n```',
    'system-file': '```json\n' + systemFileExample() + '\n```',
  };
}

/** Replaces each `<!-- generated:NAME -->…<!-- /generated:NAME -->` block; names a missing marker. */
export function fillBlocks(text: string, blocks: Record<string, string>): { text: string; missing: string[] } {
  const missing: string[] = [];
  let out = text;
  for (const [name, body] of Object.entries(blocks)) {
    const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(out)) missing.push(name);
    else out = out.replace(re, (_m, open: string, close: string) => `${open}${body}\n${close}`);
  }
  return { text: out, missing };
}
