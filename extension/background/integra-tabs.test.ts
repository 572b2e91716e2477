import { describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: {} }));
const { IntegraTabs } = await import('./integra-tabs');

function fakeApi() {
  const open = new Set<number>();
  let next = 1;
  const calls: string[] = [];
  return {
    open,
    calls,
    api: {
      async create(url: string) {
        await new Promise((r) => setTimeout(r, 5));
        const id = next++;
        open.add(id);
        calls.push(`create ${url}`);
        return { id };
      },
      async focus(id: number) {
        if (!open.has(id)) throw new Error('No tab with id');
        calls.push(`focus ${id}`);
      },
    },
  };
}

describe('IntegraTabs', () => {
  it('opens one tab per call and rule; a later event focuses it', async () => {
    const f = fakeApi();
    const tabs = new IntegraTabs(f.api);
    expect(await tabs.open('c1', 'r1', 'https://crm/?n=1')).toBe('created');
    expect(await tabs.open('c1', 'r1', 'https://crm/?n=1&e=ACCEPT')).toBe('focused');
    expect(await tabs.open('c2', 'r1', 'https://crm/?n=2')).toBe('created');
    expect(f.calls).toEqual(['create https://crm/?n=1', 'focus 1', 'create https://crm/?n=2']);
  });
  it('two events arriving together open one tab', async () => {
    const f = fakeApi();
    const tabs = new IntegraTabs(f.api);
    const results = await Promise.all([tabs.open('c1', 'r1', 'https://crm/a'), tabs.open('c1', 'r1', 'https://crm/b')]);
    expect(results).toEqual(['created', 'focused']);
    expect(f.calls.filter((c) => c.startsWith('create'))).toHaveLength(1);
  });
  it('a tab the user closed is opened again', async () => {
    const f = fakeApi();
    const tabs = new IntegraTabs(f.api);
    await tabs.open('c1', 'r1', 'https://crm/a');
    f.open.delete(1);
    tabs.forgetTab(1);
    expect(await tabs.open('c1', 'r1', 'https://crm/a')).toBe('created');
    f.open.clear();
    expect(await tabs.open('c1', 'r1', 'https://crm/a')).toBe('created');
  });
});
