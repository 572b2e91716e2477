import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const sippPath = ['/usr/bin/sipp', '/usr/local/bin/sipp'].find((p) => existsSync(p));

/** What a plain UDP phone offers: PCMU on the media port sipp opens. */
export const SIPP_SDP = `v=0
o=- 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
`;

/**
 * The opening every authenticated call from sipp shares: INVITE, the 407 challenge and its ACK,
 * and the INVITE again with [authentication]. `headers` are the request's own lines (From, To,
 * Call-ID, Contact, Max-Forwards, anything extra), without Via, CSeq or the body's headers.
 */
export function authenticatedInvite(headers: string): string {
  return `  <send retrans="500"><![CDATA[
INVITE sip:[service]@[field0] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
${headers}
CSeq: 1 INVITE
Content-Type: application/sdp
Content-Length: [len]

${SIPP_SDP}]]></send>
  <recv response="100" optional="true"/>
  <recv response="407" auth="true"/>
  <send><![CDATA[
ACK sip:[service]@[field0] SIP/2.0
[last_Via:]
From: <sip:[field1]@[field0]>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[field0] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
${headers}
CSeq: 2 INVITE
[authentication]
Content-Type: application/sdp
Content-Length: [len]

${SIPP_SDP}]]></send>
`;
}

/** INVITE with digest auth (407 → retry), ACK, short call, BYE: what any plain UDP phone does. */
export const UAC_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="authenticated call">
${authenticatedInvite(`From: <sip:[field1]@[field0]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[field0]>
Call-ID: [call_id]
Contact: <sip:[field1]@[local_ip]:[local_port]>
Max-Forwards: 70`)}  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:[field1]@[field0]>;tag=[pid]SIPpTag00[call_number]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 2 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
  <pause milliseconds="200"/>
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:[field1]@[field0]>;tag=[pid]SIPpTag00[call_number]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 3 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200"/>
</scenario>
`;

/** One authenticated call from a plain UDP phone (sipp) through the sandbox's Kamailio. */
export async function sippCall(o: {
  cwd: string;
  kamailioUdp: number;
  domain: string;
  user: string;
  password: string;
  number: string;
  sipPort: number;
  mediaPort: number;
}): Promise<string> {
  if (!sippPath) throw new Error('sipp is not installed');
  const scenario = join(o.cwd, 'uac-auth.xml');
  const fields = join(o.cwd, 'uac-fields.csv');
  await writeFile(scenario, UAC_SCENARIO);
  await writeFile(fields, `SEQUENTIAL\n${o.domain};${o.user};\n`);
  const { stdout } = await promisify(execFile)(
    sippPath,
    [
      `127.0.0.1:${o.kamailioUdp}`,
      ...['-sf', scenario, '-inf', fields, '-s', o.number],
      ...['-i', '127.0.0.1', '-p', String(o.sipPort), '-mi', '127.0.0.1', '-mp', String(o.mediaPort)],
      ...['-au', o.user, '-ap', o.password],
      ...['-m', '1', '-l', '1', '-timeout', '10s', '-timeout_error', '-nostdin'],
    ],
    { cwd: o.cwd, timeout: 15_000 },
  );
  return stdout;
}

/** The INVITE a carrier sends on the trunk port: no credentials, the From ([field1]) exactly as given. */
const TRUNK_INVITE = `INVITE sip:[service]@[field0] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: [field1];tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[field0]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:carrier@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${SIPP_SDP}`;

/**
 * A reply to the request sipp last received: its Via, From, To, Call-ID and CSeq, then `rest` (the
 * reply's own headers and body; no body by default).
 */
export function sippReply(status: string, rest = 'Content-Length: 0\n\n'): string {
  return `  <send><![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
${rest}]]></send>
`;
}

/** The far end's BYE, answered 200. */
export const BYE_ANSWERED = `  <recv request="BYE"/>
${sippReply('200 OK')}`;

/**
 * A carrier's call on the sandbox's trunk port: no credentials, the caller id exactly as given
 * (`From` without its tag), answered by the UI, ended by the UI's BYE.
 */
export const TRUNK_UAC_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="trunk call">
  <send retrans="500"><![CDATA[
${TRUNK_INVITE}]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: [field1];tag=[pid]SIPpTag00[call_number]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
${BYE_ANSWERED}</scenario>
`;


/**
 * After a CANCEL: the 200 to the CANCEL and the 487 of the INVITE are two transactions, so either
 * may come first; \`ack\` (a whole <send> of the ACK, with [last_Via:] and [last_To:]) follows the 487.
 */
export function cancelReplies(ack: string): string {
  return [
    '  <recv response="200" optional="true" next="cancel_ok_first"/>\n',
    '  <recv response="487"/>\n',
    ack,
    '  <recv response="200"/>\n',
    '  <nop next="cancelled"/>\n',
    '  <label id="cancel_ok_first"/>\n',
    '  <recv response="487"/>\n',
    ack,
    '  <label id="cancelled"/>\n',
  ].join('');
}

/**
 * A carrier's call on the trunk port that rings and is given up: INVITE (no credentials, the From
 * exactly as given), 180, CANCEL, 200 and 487, ACK. For caller ids a UI must show and record
 * whether or not it can read them.
 */
export const TRUNK_RING_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="trunk call that rings, then is cancelled">
  <send retrans="500"><![CDATA[
${TRUNK_INVITE}]]></send>
  <recv response="100" optional="true"/>
  <recv response="180"/>
  <pause milliseconds="300"/>
  <send><![CDATA[
CANCEL sip:[service]@[field0] SIP/2.0
[last_Via:]
From: [field1];tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[field0]>
Call-ID: [call_id]
CSeq: 1 CANCEL
Max-Forwards: 70
Content-Length: 0

]]></send>
${cancelReplies(`  <send><![CDATA[
ACK sip:[service]@[field0] SIP/2.0
[last_Via:]
From: [field1];tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
`)}</scenario>
`;

interface TrunkCallOptions {
  cwd: string;
  trunkPort: number;
  domain: string;
  /** The whole From value without tag, sent byte for byte, e.g. `"Mario Rossi" <sip:0261616161@carrier.test>`. */
  from: string;
  to: string;
  sipPort: number;
  mediaPort: number;
  timeoutS?: number;
}

/** Runs one trunk scenario with sipp; resolves with sipp's exit code (0 = ran to its end) and output. */
export async function runTrunkScenario(name: string, scenarioXml: string, o: TrunkCallOptions, timeoutS: number, extra: string[] = []): Promise<{ code: number; output: string }> {
  if (!sippPath) throw new Error('sipp is not installed');
  // The fields file is ';'-separated and line-based: such a From could not be sent as given.
  if (/[;\r\n]/.test(o.from)) throw new Error('a From value for sipp cannot hold ";" or a line break');
  const scenario = join(o.cwd, `${name}-${o.sipPort}.xml`);
  const fields = join(o.cwd, `${name}-fields-${o.sipPort}.csv`);
  await writeFile(scenario, scenarioXml);
  await writeFile(fields, `SEQUENTIAL\n${o.domain};${o.from};\n`);
  return new Promise((resolve) => {
    execFile(
      sippPath!,
      [
        `127.0.0.1:${o.trunkPort}`,
        ...['-sf', scenario, '-inf', fields, '-s', o.to],
        ...['-i', '127.0.0.1', '-p', String(o.sipPort), '-mi', '127.0.0.1', '-mp', String(o.mediaPort)],
        ...['-m', '1', '-l', '1', '-timeout', `${timeoutS}s`, '-timeout_error', '-nostdin', ...extra],
      ],
      { cwd: o.cwd, timeout: (timeoutS + 5) * 1000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/**
 * Starts one trunk call (sipp) and returns at once: the test answers and hangs up in the UI.
 * `done` resolves with sipp's exit code (0 = the scenario ran to its end) and its output.
 */
export async function sippTrunkCall(o: TrunkCallOptions): Promise<{ done: Promise<{ code: number; output: string }> }> {
  if (!sippPath) throw new Error('sipp is not installed');
  return { done: runTrunkScenario('trunk-uac', TRUNK_UAC_SCENARIO, o, o.timeoutS ?? 40) };
}

/** One ringing, then cancelled, trunk call (sipp); resolves with sipp's exit code and output once it ended. */
export function sippTrunkRing(o: TrunkCallOptions): Promise<{ code: number; output: string }> {
  return runTrunkScenario('trunk-ring', TRUNK_RING_SCENARIO, o, o.timeoutS ?? 30, ['-trace_err']);
}
