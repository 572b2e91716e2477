/**
 * A value at a path such as `data.contact.name` or `items[0].name` in a parsed JSON answer;
 * undefined when any step is missing. Own properties only (no `__proto__`, no `constructor`).
 */
export function atPath(root: unknown, path: string): unknown {
  if (path === '') return root;
  const steps = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s !== '');
  let value: unknown = root;
  for (const step of steps) {
    if (step === '__proto__' || step === 'constructor' || step === 'prototype') return undefined;
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}
