import { describe, expect, it } from 'vitest';
import { killHostPids, spawnHost } from '../support/host-process';
import { tempDir } from '../support/temp';

describe('one host per user and home', () => {
  it('a second host stays secondary, says who owns the account, and takes over when the first dies', async () => {
    const home = tempDir('inst');
    const a = spawnHost(home.path);
    const b = spawnHost(home.path);
    const pids: number[] = [];
    try {
      const [ha, hb] = await Promise.all([a.hello(), b.hello()]);
      pids.push(...[ha, hb].map((h) => (h.result as { pid: number }).pid));
      await new Promise((r) => setTimeout(r, 300));
      const roles = [ha, hb].map((h) => (h.result as { role: string }).role);
      // Both started at once: exactly one may own the lock.
      expect(roles.sort()).toEqual(['primary', 'secondary']);
      const [primary, secondary] = roles[0] === (ha.result as { role: string }).role && (ha.result as { role: string }).role === 'primary' ? [a, b] : [b, a];
      const st = (await secondary.request('status')).result as { host: { role: string }; registration: { cause?: string } };
      expect(st.host.role).toBe('secondary');
      expect(st.registration.cause).toMatch(/Already running/);
      expect(st.registration).toMatchObject({ code: 2004 }); // issue 14: clients decide on the code, not the words
      const reg = await secondary.request('account.register');
      expect(reg).toMatchObject({ error: { code: 2004 } });

      primary.child.kill('SIGKILL');
      await primary.exited;
      await secondary.frames.waitFor((m) => m?.event === 'host' && m.data?.role === 'primary', 8000, 'takeover');
      const after = (await secondary.request('status')).result as { host: { role: string } };
      expect(after.host.role).toBe('primary');
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
      await Promise.all([a.exited, b.exited]);
      await killHostPids(pids);
      home.remove();
    }
  });

  it('two hosts racing at start: exactly one wins, every time', async () => {
    for (let round = 0; round < 10; round++) {
      const home = tempDir('race');
      const hosts = [spawnHost(home.path), spawnHost(home.path), spawnHost(home.path)];
      const pids: number[] = [];
      try {
        const hellos = await Promise.all(hosts.map((h) => h.hello()));
        pids.push(...hellos.map((h) => (h.result as { pid: number }).pid));
        const roles = hellos.map((h) => (h.result as { role: string }).role);
        expect(roles.filter((r) => r === 'primary'), `round ${round}`).toHaveLength(1);
      } finally {
        for (const h of hosts) h.child.kill('SIGKILL');
        // The launchers and the hosts behind them: one still writing its log as the folder goes made
        // rmdir fail (ENOTEMPTY). Remove it once all are gone.
        await Promise.all(hosts.map((h) => h.exited));
        await killHostPids(pids);
        home.remove();
      }
    }
  });
});
