// Caller names (issue 18): INVITE received by the host → the caller's name shown in the desktop
// notification, for names from the LDAP directory (the sandbox's real slapd, 1,000 entries) and
// from the CRM lookup (the tests' CRM fixture server); target median ≤ 100 ms. Real Chromium with
// the built test extension, the host, the sandbox Kamailio; calls from sipp on the carrier trunk,
// each from a number not asked before (no cache). "INVITE received" is CallInfo.startedAt (JsSIP
// hands the call to the host); "shown" is when the extension's worker created or updated the
// notification with the name. Runs inside a loopback-only network namespace (scripts/bench.mjs).
import { join } from 'node:path';
import { connectControl } from '../native-host/src/control/control-client';
import { freePort } from '../native-host/src/sandbox/ports';
import { startSandboxDirectory, stopSandboxDirectory } from '../native-host/src/sandbox/slapd';
import { italianContacts } from '../native-host/src/directory/sample-contacts';
import { startCallRig } from '../tests/support/call-rig';
import { startCrmFixture } from '../tests/support/crm-fixture';
import { notificationsOf, recordNotifications } from '../tests/support/notification-log';
import { sippTrunkRing } from '../tests/support/sipp';
import { fmt, summary } from './stats';

const N = Number(process.env.BENCH_CALLS ?? 30);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Bg = { __voispeed: { state(): { calls: { id: string; startedAt: number; remote: { number: string } }[] } } };

async function main() {
  const people = Object.fromEntries(Array.from({ length: N + 2 }, (_, i) => [`06123${String(i).padStart(5, '0')}`, { name: `Cliente ${i}`, company: 'CRM Spa' }]));
  const crm = await startCrmFixture(people);
  const rig = await startCallRig('bench-names');
  try {
    await recordNotifications(rig.worker);
    const directory = await startSandboxDirectory(join(rig.home, 'sandbox'), { entries: 1000 });
    const control = await connectControl(join(rig.home, 'run', 'control.sock'));
    await control.request('settings.set', {
      section: 'directory',
      value: {
        ldap: { enabled: true, url: directory.url, bindDn: directory.bindDn, password: directory.password, baseDn: directory.baseDn },
        crm: { enabled: true, urlTemplate: `${crm.origin}/lookup?n=!01`, namePath: 'data.contact.name', companyPath: 'data.contact.company', linkPath: '' },
      },
    });
    control.close();
    const contacts = italianContacts(1000);

    async function one(number: string, name: string): Promise<number | undefined> {
      const ring = sippTrunkRing({ cwd: rig.root, trunkPort: rig.sandbox.ports.kamailioTrunk, domain: rig.sandbox.domain, from: `<sip:${number}@carrier.test>`, to: '1001', sipPort: await freePort('udp'), mediaPort: await freePort('udp') });
      let call: { id: string; startedAt: number } | undefined;
      for (let i = 0; i < 500 && !call; i++) {
        call = (await rig.worker.evaluate(() => (globalThis as unknown as Bg).__voispeed.state().calls)).find((c) => c.remote.number === number);
        if (!call) await sleep(10);
      }
      const done = await ring;
      if (!call) throw new Error(`no call from ${number}: ${done.output.slice(-500)}`);
      const shown = (await notificationsOf(rig.worker, `incoming:${call.id}`)).find((n) => n.title.includes(name));
      return shown ? shown.at - call.startedAt : undefined;
    }

    for (const [label, pick] of [
      ['LDAP (slapd, 1,000 entries)', (i: number) => ({ number: `+39025550${String(100 + i).padStart(4, '0')}`, name: contacts[100 + i]!.name })],
      ['CRM lookup (fixture)', (i: number) => ({ number: `06123${String(i).padStart(5, '0')}`, name: `Cliente ${i}` })],
    ] as const) {
      const samples: number[] = [];
      let missed = 0;
      for (let i = 0; i < N + 2; i++) {
        const { number, name } = pick(i);
        const ms = await one(number, name);
        if (i < 2) continue;
        if (ms === undefined) missed++;
        else samples.push(ms);
      }
      const s = summary(samples);
      console.log(`INVITE at the host → name in the notification, ${label}, n=${s.n} (${missed} not named before the caller hung up): median ${fmt(s.median)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)} (target median ≤ 100 ms: ${s.median <= 100 ? 'met' : 'MISSED'})`);
    }
  } finally {
    await stopSandboxDirectory(join(rig.home, 'sandbox')).catch(() => undefined);
    await rig.close();
    await crm.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
