import { isIPv4 } from 'node:net';
import { relative } from 'node:path';
import { COMMON_MODPARAMS, COMMON_MODULES, CORE_SETTINGS, loadModules, quoted, usersRoute } from './kamailio-common';
import { PRESENCE_MODULES, PRESENCE_ROUTE, presenceModparams } from './kamailio-presence';
import { sipRoutes, type RouteHooks } from './kamailio-routes';
import { LOOPBACK, type ClassicPorts } from './ports';
import type { SandboxTlsFiles } from './tls-certs';
import type { Passwords } from './users';

export interface ClassicConfigInput {
  domain: string;
  ports: ClassicPorts;
  passwords: Passwords;
  /** The address every listener binds (`sandbox start --classic --address`); 127.0.0.1 by default. */
  address?: string;
  /** The presence server's db_text folder (kamailio-presence.ts); none: no presence. */
  presenceDb?: string;
}

/** A TCP or TLS client is reachable only over its own connection (it may not listen at all). */
const STREAM = '($pr == "tcp" || $pr == "tls")';

/** A UDP client behind a NAT: Via address (2) or port (16), or Contact address (32), is not where the request came from. */
const NATED_REQUEST = 'nat_uac_test("50")';
/**
 * The same for a reply, whose top Via is ours: its Contact host is not its source. Compared in the
 * script: nat_uac_test("32") on Kamailio 5.6 let a NATed phone's 200 OK through unaliased, and the
 * caller's ACK and BYE went to the private address (the e2e test's phone behind a "NAT").
 */
const NATED_REPLY = 'is_present_hf("Contact") && $(ct{tobody.host}) != $si';

/**
 * No media relay: SDP passes untouched, so the far end sends RTP straight to the caller's address.
 * TCP and TLS clients, and UDP ones behind a NAT, get their Contact aliased (requests and replies)
 * and their registration saved with the source address, so requests toward them (new calls, and
 * in-dialog ones after loose_route + handle_ruri_alias) go back where they came from: over the
 * connection a TCP/TLS client opened (Kamailio reuses an open connection to the same address and
 * port), through the NAT's mapping for a UDP one.
 */
const CLASSIC_HOOKS: RouteHooks = {
  aliasRequestIf: `!is_method("REGISTER") && is_present_hf("Contact") && (${STREAM} || ${NATED_REQUEST})`,
  registerNatIf: `${STREAM} || ${NATED_REQUEST}`,
  aliasReplyIf: `${STREAM} || (${NATED_REPLY})`,
  onCancel: '',
  onBye: '',
  branchMedia: '',
  replyMedia: '',
  onFailure: '',
  extraRoutes: '',
};

/** An IPv4 literal, the only kind of address the sandbox binds: it goes into config files unquoted. */
export function quotedAddress(address: string): string {
  if (!isIPv4(address)) throw new Error(`sandbox address must be an IPv4 address: ${JSON.stringify(address)}`);
  return address;
}

/** kamailio.cfg of the classic profile: SIP over UDP, TCP and TLS, plain RTP end to end. */
export function kamailioClassicConfig({ domain, ports, passwords, address = LOOPBACK, presenceDb }: ClassicConfigInput): string {
  const at = quotedAddress(address);
  const presence = presenceDb !== undefined ? { dbDir: presenceDb, serverAddress: `sip:presence@${at}:${ports.kamailioUdp}` } : undefined;
  return `#!KAMAILIO
# voispeed sandbox PBX, classic profile (\`voispeed sandbox start --classic\`): SIP over UDP, TCP
# and TLS, no WebSocket, no media relay. Generated at every start; edits are overwritten.
# Everything listens on ${at} only. Log line formats: see KAMAILIO_LOG_PATTERNS in kamailio-log.ts.

#!define FLT_SRC_WS 1
#!define FLT_TRUNK 2
#!define FLB_WS 6

${CORE_SETTINGS}
listen=udp:${at}:${ports.kamailioUdp}
listen=tcp:${at}:${ports.kamailioTcp}
listen=tls:${at}:${ports.kamailioTls}
# Same routing, but a self-signed certificate (tls.cfg): for "untrusted server" tests.
listen=tls:${at}:${ports.kamailioTlsUntrusted}
# The trunk side: what a carrier would use to hand calls to this PBX (see route[TRUNK]).
listen=udp:${at}:${ports.kamailioTrunk}
listen=tcp:${at}:${ports.kamailioTrunk}
alias=${quoted(domain)}
# Registered TCP/TLS clients are reached over their own connection: keep it as long as a registration.
tcp_connection_lifetime=3605
enable_tls=yes
server_header="Server: voispeed-sandbox"
user_agent_header="User-Agent: voispeed-sandbox"

${loadModules([...COMMON_MODULES, 'tls', ...(presence ? PRESENCE_MODULES : [])])}

${COMMON_MODPARAMS}
# Relative to this file's folder (the sandbox folder, whose path may hold a space).
modparam("tls", "config", "tls.cfg")
${presence ? `\n${presenceModparams(presence)}\n` : ''}
${usersRoute(domain, passwords)}

${presence ? PRESENCE_ROUTE : ''}
${sipRoutes(domain, ports.kamailioTrunk, { ...CLASSIC_HOOKS, presence: presence !== undefined })}`;
}

/**
 * The tls module's own file: the CA-signed certificate by default, the self-signed one on the
 * untrusted listener. Paths are relative to kamailio.cfg's folder (the sandbox folder); the
 * module's parser reads a value up to the line end, so a path with a space would not survive
 * quoting rules it does not have. Clients are not asked for certificates.
 */
export function kamailioTlsConfig(sandboxDir: string, ports: ClassicPorts, files: SandboxTlsFiles, address = LOOPBACK): string {
  const rel = (p: string) => {
    const r = relative(sandboxDir, p);
    if (!/^[A-Za-z0-9._/-]+$/.test(r) || r.startsWith('.')) throw new Error(`unsafe TLS file path for tls.cfg: ${JSON.stringify(r)}`);
    return r;
  };
  const server = (cert: string, key: string) => `method = TLSv1.2+
verify_certificate = no
require_certificate = no
certificate = ${rel(cert)}
private_key = ${rel(key)}`;
  return `# voispeed sandbox, classic profile: Kamailio TLS domains. Generated at every start.
[server:default]
${server(files.certFile, files.keyFile)}

[server:${quotedAddress(address)}:${ports.kamailioTlsUntrusted}]
${server(files.untrustedCertFile, files.untrustedKeyFile)}

# Kamailio opens no TLS connection of its own: registered clients are reached over theirs.
[client:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
`;
}
